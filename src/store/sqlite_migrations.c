/* Numbered migrations of the SQLite engine. Never edit a migration that has
 * shipped: add the next one. Column types matter: BOOLEAN columns come back
 * as JSON booleans, JSONTEXT columns as parsed JSON (see sqlite.c). */
#include "store/ops.h"

static const char m1_base[] =
	/* Organizations: the host body (DMTF) and partners. */
	"CREATE TABLE organizations ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL COLLATE NOCASE UNIQUE,"
	" short_name TEXT NOT NULL COLLATE NOCASE UNIQUE,"
	" kind TEXT NOT NULL CHECK (kind IN ('host','partner')),"
	" website TEXT,"
	" status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('prospective','active','former')),"
	" description TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE UNIQUE INDEX organizations_one_host ON organizations(kind) WHERE kind = 'host';"

	/* People; dmtf_member feeds R48 (IP policy acknowledgement). */
	"CREATE TABLE people ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" email TEXT NOT NULL COLLATE NOCASE UNIQUE,"
	" org_id INTEGER NOT NULL REFERENCES organizations(id),"
	" dmtf_member BOOLEAN NOT NULL DEFAULT 0,"
	" password_hash TEXT,"
	" disabled BOOLEAN NOT NULL DEFAULT 0,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX people_org ON people(org_id);"

	/* Bodies and their ballot rules (RULES.md 'what the seed leaves open'). */
	"CREATE TABLE bodies ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL COLLATE NOCASE UNIQUE,"
	" kind TEXT NOT NULL CHECK (kind IN ('board','executive','committee','working_group','apwg')),"
	" parent_id INTEGER REFERENCES bodies(id),"
	" is_alliance BOOLEAN NOT NULL DEFAULT 0,"
	" ballot_days INTEGER NOT NULL DEFAULT 14,"
	" quorum_percent INTEGER NOT NULL DEFAULT 50,"
	" majority_num INTEGER NOT NULL DEFAULT 2,"
	" majority_den INTEGER NOT NULL DEFAULT 3,"
	" description TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE UNIQUE INDEX bodies_one_alliance ON bodies(is_alliance) WHERE is_alliance = 1;"
	"CREATE UNIQUE INDEX bodies_one_special ON bodies(kind) WHERE kind IN ('board','executive','apwg');"

	"CREATE TABLE memberships ("
	" id INTEGER PRIMARY KEY,"
	" body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" role TEXT NOT NULL CHECK (role IN ('chair','voting','observer')),"
	" start_date TEXT NOT NULL,"
	" end_date TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX memberships_body ON memberships(body_id);"
	"CREATE INDEX memberships_person ON memberships(person_id);"

	"CREATE TABLE officers ("
	" id INTEGER PRIMARY KEY,"
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" role TEXT NOT NULL CHECK (role IN ('vp_alliances','admin')),"
	" start_date TEXT NOT NULL,"
	" end_date TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX officers_person ON officers(person_id);"

	/* Work Registers and the sections of the template (R12). */
	"CREATE TABLE work_registers ("
	" id INTEGER PRIMARY KEY,"
	" partner_id INTEGER NOT NULL REFERENCES organizations(id),"
	" title TEXT NOT NULL,"
	" originating_body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" owner_id INTEGER REFERENCES people(id),"
	" proposer_id INTEGER REFERENCES people(id),"
	" proposed_by TEXT NOT NULL CHECK (proposed_by IN ('partner','member')),"
	" status TEXT NOT NULL,"
	" scope TEXT NOT NULL DEFAULT '',"
	" benefits TEXT NOT NULL DEFAULT '',"
	" deliverables TEXT NOT NULL DEFAULT '',"
	" board_resolution TEXT,"
	" board_approval_date TEXT,"
	" revision INTEGER NOT NULL DEFAULT 1,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX work_registers_partner ON work_registers(partner_id);"
	"CREATE INDEX work_registers_status ON work_registers(status);"

	"CREATE TABLE milestones ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" description TEXT NOT NULL,"
	" body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" wg_id INTEGER REFERENCES bodies(id),"
	" target_date TEXT,"
	" status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','in_progress','complete','dropped')),"
	" completed_date TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX milestones_wr ON milestones(wr_id);"

	"CREATE TABLE wr_contacts ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" name TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" role TEXT NOT NULL CHECK (role IN ('board_rep','technical','pr')),"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX wr_contacts_wr ON wr_contacts(wr_id);"

	/* R37: the DMTF specification types of DSP4004, as configuration. */
	"CREATE TABLE standard_types (id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE UNIQUE);"
	"INSERT INTO standard_types (name) VALUES ('schema'),('profile'),('management initiative'),('specification'),('white paper');"

	/* Table 1 of DSP4003 (R36-R40); partner_id is copied from the WR so
	 * that the AP identifier can be unique per partner (R38). */
	"CREATE TABLE standards ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" partner_id INTEGER NOT NULL REFERENCES organizations(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('joint','delegated')),"
	" standard_type TEXT NOT NULL,"
	" ap_id TEXT NOT NULL,"
	" description TEXT NOT NULL,"
	" domain TEXT NOT NULL,"
	" lead_org TEXT NOT NULL,"
	" ip_policy TEXT NOT NULL CHECK (ip_policy IN ('DMTF','partner')),"
	" owning_org TEXT NOT NULL CHECK (owning_org IN ('DMTF','partner')),"
	" developing_org TEXT NOT NULL CHECK (developing_org IN ('DMTF','partner')),"
	" maintaining_org TEXT NOT NULL CHECK (maintaining_org IN ('DMTF','partner')),"
	" is_group BOOLEAN NOT NULL DEFAULT 0,"
	" replaces_id INTEGER REFERENCES standards(id),"
	" status TEXT NOT NULL DEFAULT 'current' CHECK (status IN ('current','replaced')),"
	" replaced_at TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
	" UNIQUE (partner_id, ap_id));"
	"CREATE INDEX standards_wr ON standards(wr_id);"
	"CREATE INDEX standards_domain ON standards(domain);"

	/* R50: every saved revision, readable for ever. */
	"CREATE TABLE wr_versions ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" revision INTEGER NOT NULL,"
	" snapshot JSONTEXT NOT NULL,"
	" author_id INTEGER REFERENCES people(id),"
	" author TEXT NOT NULL,"
	" summary TEXT NOT NULL,"
	" frozen BOOLEAN NOT NULL DEFAULT 0,"
	" created_at TEXT NOT NULL,"
	" UNIQUE (wr_id, revision));"
	"CREATE TRIGGER wr_versions_keep BEFORE DELETE ON wr_versions BEGIN SELECT RAISE(ABORT, 'versions are kept'); END;"

	/* Audit: append-only, written in the change's own transaction. */
	"CREATE TABLE audit ("
	" id INTEGER PRIMARY KEY,"
	" at TEXT NOT NULL,"
	" actor_id INTEGER,"
	" actor TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" target_type TEXT NOT NULL,"
	" target_id INTEGER,"
	" before JSONTEXT,"
	" after JSONTEXT);"
	"CREATE INDEX audit_target ON audit(target_type, target_id);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"

	/* Credentials: only hashes are stored. */
	"CREATE TABLE sessions ("
	" id INTEGER PRIMARY KEY,"
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" id_hash TEXT NOT NULL UNIQUE,"
	" csrf TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" expires_at INTEGER NOT NULL);"
	"CREATE TABLE tokens ("
	" id INTEGER PRIMARY KEY,"
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" token_hash TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" revoked_at TEXT);";


/* The process of DSP4003 sections 2-4: ballots, comments, meetings,
 * amendments, hand-off tasks, reviews, notifications, settings. */
static const char m2_process[] =
	"ALTER TABLE work_registers ADD COLUMN ballot_round INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE work_registers ADD COLUMN established_at TEXT;"
	"ALTER TABLE work_registers ADD COLUMN last_update_date TEXT;"
	"ALTER TABLE work_registers ADD COLUMN next_review_date TEXT;"
	"ALTER TABLE work_registers ADD COLUMN removal_reason TEXT;"
	"ALTER TABLE work_registers ADD COLUMN removal_detail TEXT;"
	"ALTER TABLE work_registers ADD COLUMN decline_reason TEXT;"
	"ALTER TABLE work_registers ADD COLUMN ended_at TEXT;"
	"ALTER TABLE milestones ADD COLUMN progress_date TEXT;"

	/* A ballot of one body on a frozen version of a WR, an amendment or a
	 * removal; eligible voters and the body's rules are copied at opening. */
	"CREATE TABLE ballots ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" purpose TEXT NOT NULL CHECK (purpose IN ('committee','board','amendment','removal')),"
	" amendment_id INTEGER,"
	" round INTEGER NOT NULL DEFAULT 0,"
	" revision INTEGER NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN ('open','passed','failed','cancelled')),"
	" eligible JSONTEXT NOT NULL,"
	" quorum_percent INTEGER NOT NULL,"
	" majority_num INTEGER NOT NULL,"
	" majority_den INTEGER NOT NULL,"
	" opened_by TEXT NOT NULL,"
	" opened_at TEXT NOT NULL,"
	" deadline INTEGER NOT NULL,"
	" closed_at TEXT,"
	" closed_how TEXT,"
	" tally JSONTEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX ballots_wr ON ballots(wr_id);"
	"CREATE INDEX ballots_open ON ballots(status, deadline);"
	/* a closed ballot never changes */
	"CREATE TRIGGER ballots_closed BEFORE UPDATE ON ballots WHEN OLD.status <> 'open'"
	" BEGIN SELECT RAISE(ABORT, 'a closed ballot never changes'); END;"
	"CREATE TRIGGER ballots_keep BEFORE DELETE ON ballots BEGIN SELECT RAISE(ABORT, 'ballots are kept'); END;"

	"CREATE TABLE votes ("
	" id INTEGER PRIMARY KEY,"
	" ballot_id INTEGER NOT NULL REFERENCES ballots(id),"
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" choice TEXT NOT NULL CHECK (choice IN ('yes','no','abstain')),"
	" comment TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
	" UNIQUE (ballot_id, person_id));"
	"CREATE TRIGGER votes_closed_insert BEFORE INSERT ON votes"
	" WHEN (SELECT status FROM ballots WHERE id = NEW.ballot_id) <> 'open'"
	" BEGIN SELECT RAISE(ABORT, 'the ballot is closed'); END;"
	"CREATE TRIGGER votes_closed_update BEFORE UPDATE ON votes"
	" WHEN (SELECT status FROM ballots WHERE id = NEW.ballot_id) <> 'open'"
	" BEGIN SELECT RAISE(ABORT, 'the ballot is closed'); END;"
	"CREATE TRIGGER votes_keep BEFORE DELETE ON votes BEGIN SELECT RAISE(ABORT, 'votes are kept'); END;"

	/* Feedback on a draft (R6, R15, R16), tracked to closure. */
	"CREATE TABLE comments ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" revision INTEGER NOT NULL,"
	" author_id INTEGER REFERENCES people(id),"
	" author TEXT NOT NULL,"
	" body_id INTEGER REFERENCES bodies(id),"
	" ballot_id INTEGER REFERENCES ballots(id),"
	" text TEXT NOT NULL,"
	" routed_to JSONTEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','declined','withdrawn')),"
	" resolution TEXT,"
	" resolved_by TEXT,"
	" resolved_at TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX comments_wr ON comments(wr_id);"

	/* Conference calls (R14, R19) and, later, joint meetings (R45). */
	"CREATE TABLE meetings ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER REFERENCES work_registers(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('completeness_call','board_call','joint')),"
	" scheduled_at TEXT NOT NULL,"
	" participants JSONTEXT NOT NULL,"
	" outcome TEXT,"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"

	/* Changes to an established WR (R22-R24, R28, R29). */
	"CREATE TABLE amendments ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" class TEXT NOT NULL CHECK (class IN ('contacts','deliverables','scope','other')),"
	" significant BOOLEAN NOT NULL DEFAULT 0,"
	" status TEXT NOT NULL CHECK (status IN ('draft','pending','applied','rejected','withdrawn')),"
	" summary TEXT NOT NULL,"
	" changes JSONTEXT NOT NULL,"
	" proposer_id INTEGER REFERENCES people(id),"
	" by_partner BOOLEAN NOT NULL DEFAULT 0,"
	" base_revision INTEGER NOT NULL,"
	" decided_at TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE TABLE approvals ("
	" id INTEGER PRIMARY KEY,"
	" amendment_id INTEGER NOT NULL REFERENCES amendments(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('committee','board','partner')),"
	" body_id INTEGER REFERENCES bodies(id),"
	" ballot_id INTEGER REFERENCES ballots(id),"
	" rule TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','given','refused')),"
	" decided_by TEXT,"
	" decided_at TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"

	/* Hand-offs on establishment (R9) and announcements (R25). */
	"CREATE TABLE tasks ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" kind TEXT NOT NULL,"
	" rule TEXT NOT NULL,"
	" assignee_id INTEGER REFERENCES people(id),"
	" recipients JSONTEXT NOT NULL,"
	" payload JSONTEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),"
	" done_by TEXT,"
	" done_at TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"

	/* Review reminders sent (R27), one per WR, due date and lead time. */
	"CREATE TABLE reminders ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" kind TEXT NOT NULL,"
	" due_date TEXT NOT NULL,"
	" lead_days INTEGER NOT NULL,"
	" created_at TEXT NOT NULL,"
	" UNIQUE (wr_id, kind, due_date, lead_days));"

	/* The outbox: who must hear of what, written in the change's own
	 * transaction; delivered by e-mail later. */
	"CREATE TABLE outbox ("
	" id INTEGER PRIMARY KEY,"
	" event TEXT NOT NULL,"
	" wr_id INTEGER REFERENCES work_registers(id),"
	" person_id INTEGER REFERENCES people(id),"
	" email TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" subject TEXT NOT NULL,"
	" body TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" sent_at TEXT);"
	"CREATE INDEX outbox_unsent ON outbox(sent_at);"

	/* Who hears of which event: data an administrator changes. */
	"CREATE TABLE notify_rules ("
	" id INTEGER PRIMARY KEY,"
	" event TEXT NOT NULL,"
	" role TEXT NOT NULL,"
	" created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	" updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	" UNIQUE (event, role));"
	"INSERT INTO notify_rules (event, role) VALUES"
	" ('wr.proposed','vp'),('wr.owner_assigned','owner'),('wr.owner_assigned','partner_reps'),"
	" ('wr.call_requested','partner_reps'),('wr.call_requested','owner'),"
	" ('wr.socialized','committee_chairs'),('wr.socialized','wg_chairs'),('wr.socialized','partner_reps'),"
	" ('comment.added','originating_chair'),('comment.added','vp'),('comment.added','owner'),"
	" ('comment.resolved','commenter'),"
	" ('ballot.opened','voters'),('ballot.opened','owner'),('ballot.closed','owner'),('ballot.closed','vp'),"
	" ('ballot.closed','body_members'),"
	" ('wr.committees_approved','executive'),('wr.committees_approved','vp'),('wr.committees_approved','owner'),"
	" ('wr.returned','owner'),('wr.returned','partner_reps'),('wr.returned','vp'),"
	" ('wr.board_approved','owner'),('wr.board_approved','vp'),"
	" ('wr.sent','partner_reps'),('wr.established','owner'),('wr.established','vp'),('wr.established','partner_reps'),"
	" ('wr.established','marketing_chair'),('wr.declined','owner'),('wr.declined','vp'),"
	" ('task.created','assignee'),('review.due','owner'),('review.due','vp'),('review.overdue','owner'),('review.overdue','vp'),"
	" ('wr.stagnant','vp'),('wr.stagnant','executive'),('removal.recommended','executive'),('removal.recommended','owner'),"
	" ('removal.recommended','partner_reps'),('wr.removed','owner'),('wr.removed','partner_reps'),('wr.removed','vp'),"
	" ('amendment.proposed','owner'),('amendment.proposed','vp'),('amendment.proposed','originating_chair'),"
	" ('amendment.applied','owner'),('amendment.applied','vp'),('amendment.applied','partner_reps'),"
	" ('amendment.rejected','owner'),('amendment.rejected','partner_reps'),"
	" ('wr.withdrawn','owner'),('wr.withdrawn','vp'),('wr.withdrawn','partner_reps');"

	/* Settings: the organization's addresses and periods (the seed's
	 * addresses are configuration, never code). */
	"CREATE TABLE settings ("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL UNIQUE,"
	" value TEXT NOT NULL,"
	" updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	"INSERT INTO settings (key, value) VALUES"
	" ('requests_address','dmtf-requests@kavi.com'),"
	" ('alliance_list_address','alliance-partner@dmtf.org'),"
	" ('press_address','press@dmtf.org'),"
	" ('review_months','24'),"
	" ('stagnation_months','24'),"
	" ('review_reminder_days','90,30,7');";

/* Indexes for every list filter (the scale issue: 10,000 WRs, 1,000 people,
 * 1,000,000 votes). SQLite ends every index with the rowid, so an index on
 * (c) is already (c, id): "c = ? AND id > ? ORDER BY id LIMIT n", the
 * keyset page store_find builds, is one index range. Hence no (partner_id,
 * id) or (status, id) here: work_registers_partner and _status of m1 are
 * those. Already served and not repeated: votes (ballot_id, person_id) by
 * its UNIQUE, wr_versions (wr_id, revision) by its UNIQUE, comments_wr,
 * ballots_wr, ballots_open (status, deadline), audit_target (target_type,
 * target_id), memberships and people by body, person and org.
 * tests/unit/test_plans.c checks each query's plan. */
static const char m3_list_indexes[] =
	/* wr.list ?owner_id= (R1: the owner) */
	"CREATE INDEX work_registers_owner ON work_registers(owner_id);"
	/* ballot.list ?body_id=; an amendment's ballots */
	"CREATE INDEX ballots_body ON ballots(body_id);"
	"CREATE INDEX ballots_amendment ON ballots(amendment_id);"
	/* audit.list ?target_id= without ?target_type= */
	"CREATE INDEX audit_target_id ON audit(target_id);"
	/* task.list ?assignee_id=, ?wr_id=, ?status=; me/tasks (open, mine) */
	"CREATE INDEX tasks_assignee ON tasks(assignee_id, status);"
	"CREATE INDEX tasks_wr ON tasks(wr_id);"
	"CREATE INDEX tasks_status ON tasks(status);"
	/* a WR's sections, read on every document GET, and its amendments */
	"CREATE INDEX meetings_wr ON meetings(wr_id);"
	"CREATE INDEX amendments_wr ON amendments(wr_id);"
	"CREATE INDEX approvals_amendment ON approvals(amendment_id);"
	/* R39: the rows that replace a Table 1 row */
	"CREATE INDEX standards_replaces ON standards(replaces_id);"
	/* a person's sessions (ended on a new password) and tokens */
	"CREATE INDEX sessions_person ON sessions(person_id);"
	"CREATE INDEX tokens_person ON tokens(person_id);";

/* Stamps of the database's state, for what the server keeps (core/cache.c).
 * `data` changes with every change made through the door (each appends one
 * audit event); `people` with every change to who someone is: people,
 * organizations, officer roles, memberships, bodies, credentials. A stamp
 * is random, not a count: a change rolled back (a savepoint of a batch, a
 * batch whose commit failed) must never leave its stamp to a later state. */
static const char m4_stamps[] =
	"CREATE TABLE stamps ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" data INTEGER NOT NULL,"
	" people INTEGER NOT NULL);"
	"INSERT INTO stamps (id, data, people) VALUES (1, random(), random());"
	"CREATE TRIGGER stamps_audit AFTER INSERT ON audit BEGIN UPDATE stamps SET data = random(); END;"
	"CREATE TRIGGER stamps_people_insert AFTER INSERT ON people BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_people_update AFTER UPDATE ON people BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_people_delete AFTER DELETE ON people BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_organizations_insert AFTER INSERT ON organizations BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_organizations_update AFTER UPDATE ON organizations BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_organizations_delete AFTER DELETE ON organizations BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_officers_insert AFTER INSERT ON officers BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_officers_update AFTER UPDATE ON officers BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_officers_delete AFTER DELETE ON officers BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_memberships_insert AFTER INSERT ON memberships BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_memberships_update AFTER UPDATE ON memberships BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_memberships_delete AFTER DELETE ON memberships BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_bodies_insert AFTER INSERT ON bodies BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_bodies_update AFTER UPDATE ON bodies BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_bodies_delete AFTER DELETE ON bodies BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_tokens_insert AFTER INSERT ON tokens BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_tokens_update AFTER UPDATE ON tokens BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_tokens_delete AFTER DELETE ON tokens BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_sessions_insert AFTER INSERT ON sessions BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_sessions_update AFTER UPDATE ON sessions BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_sessions_delete AFTER DELETE ON sessions BEGIN UPDATE stamps SET people = random(); END;";

/* Full-text search over a WR's title, scope and Table 1 (its current
 * rows: identifier, type, description, domain), FTS5 with the rowid the
 * WR's id; triggers keep it with every change, whoever makes it. */
static const char m5_search[] =
	"CREATE VIRTUAL TABLE wr_text USING fts5(title, scope, table1, tokenize = 'unicode61 remove_diacritics 2');"
	"INSERT INTO wr_text (rowid, title, scope, table1) SELECT w.id, w.title, w.scope, coalesce((SELECT group_concat(ap_id || ' ' || standard_type || ' ' || description || ' ' || domain, ' ') FROM standards s WHERE s.wr_id = w.id AND s.status = 'current'), '') FROM work_registers w;"
	"CREATE TRIGGER wr_text_insert AFTER INSERT ON work_registers BEGIN"
	" INSERT INTO wr_text (rowid, title, scope, table1) VALUES (new.id, new.title, new.scope, ''); END;"
	"CREATE TRIGGER wr_text_update AFTER UPDATE OF title, scope ON work_registers BEGIN"
	" UPDATE wr_text SET title = new.title, scope = new.scope WHERE rowid = new.id; END;"
	"CREATE TRIGGER wr_text_delete AFTER DELETE ON work_registers BEGIN DELETE FROM wr_text WHERE rowid = old.id; END;"
	"CREATE TRIGGER wr_text_standards_insert AFTER INSERT ON standards BEGIN"
	" UPDATE wr_text SET table1 = coalesce((SELECT group_concat(ap_id || ' ' || standard_type || ' ' || description || ' ' || domain, ' ') FROM standards s WHERE s.wr_id = new.wr_id AND s.status = 'current'), '') WHERE rowid = new.wr_id; END;"
	"CREATE TRIGGER wr_text_standards_update AFTER UPDATE ON standards BEGIN"
	" UPDATE wr_text SET table1 = coalesce((SELECT group_concat(ap_id || ' ' || standard_type || ' ' || description || ' ' || domain, ' ') FROM standards s WHERE s.wr_id = new.wr_id AND s.status = 'current'), '') WHERE rowid = new.wr_id;"
	" UPDATE wr_text SET table1 = coalesce((SELECT group_concat(ap_id || ' ' || standard_type || ' ' || description || ' ' || domain, ' ') FROM standards s WHERE s.wr_id = old.wr_id AND s.status = 'current'), '') WHERE rowid = old.wr_id AND old.wr_id <> new.wr_id; END;"
	"CREATE TRIGGER wr_text_standards_delete AFTER DELETE ON standards BEGIN"
	" UPDATE wr_text SET table1 = coalesce((SELECT group_concat(ap_id || ' ' || standard_type || ' ' || description || ' ' || domain, ' ') FROM standards s WHERE s.wr_id = old.wr_id AND s.status = 'current'), '') WHERE rowid = old.wr_id; END;";

/* Who may vote in each ballot, a row per voter: the ballot's eligible
 * list (copied when it opens) as a table, so that "the open ballots this
 * person may vote in" (me/tasks) is an index search, not a read of every
 * open ballot's list. Kept by triggers from ballots.eligible. */
static const char m6_ballot_voters[] =
	"CREATE TABLE ballot_voters ("
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" ballot_id INTEGER NOT NULL REFERENCES ballots(id),"
	" PRIMARY KEY (person_id, ballot_id)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO ballot_voters (person_id, ballot_id) SELECT j.value, b.id FROM ballots b, json_each(b.eligible) j;"
	"CREATE TRIGGER ballot_voters_insert AFTER INSERT ON ballots BEGIN"
	" INSERT OR IGNORE INTO ballot_voters (person_id, ballot_id) SELECT value, new.id FROM json_each(new.eligible); END;"
	"CREATE TRIGGER ballot_voters_update AFTER UPDATE OF eligible ON ballots BEGIN"
	" DELETE FROM ballot_voters WHERE ballot_id = old.id;"
	" INSERT OR IGNORE INTO ballot_voters (person_id, ballot_id) SELECT value, new.id FROM json_each(new.eligible); END;"
	"CREATE TRIGGER ballot_voters_delete AFTER DELETE ON ballots BEGIN DELETE FROM ballot_voters WHERE ballot_id = old.id; END;"
	/* and a person's votes, to tell which of those they have cast */
	"CREATE INDEX votes_person ON votes(person_id);";

/* R50: a version's label, the way the seed's Appendix A labels its own
 * (1.0.0, 1.0.1, 1.0.1a; core/wr.c says how they grow), on each version and
 * the WR's current one on the WR. Versions written before labels existed
 * are labelled 0.0.<revision>; the next ones grow from there. */
static const char m7_version_labels[] =
	"ALTER TABLE wr_versions ADD COLUMN label TEXT;"
	"UPDATE wr_versions SET label = '0.0.' || revision;"
	"CREATE UNIQUE INDEX wr_versions_label ON wr_versions(wr_id, label);"
	"ALTER TABLE work_registers ADD COLUMN version_label TEXT;"
	"UPDATE work_registers SET version_label = (SELECT label FROM wr_versions v WHERE v.wr_id = work_registers.id ORDER BY revision DESC LIMIT 1);";

/* R37: the specification types are data an administrator edits; a type
 * Table 1 rows use is retired, not deleted. R44: the register of DMTF
 * standards a partner's change request names, each owned by a body. */
static const char m8_registers[] =
	"ALTER TABLE standard_types ADD COLUMN description TEXT;"
	"ALTER TABLE standard_types ADD COLUMN retired BOOLEAN NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));"
	"CREATE INDEX standards_type ON standards(standard_type);"
	"CREATE TABLE dmtf_standards ("
	" id INTEGER PRIMARY KEY,"
	" dsp TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" title TEXT NOT NULL,"
	" version TEXT NOT NULL,"
	" body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" retired BOOLEAN NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX dmtf_standards_body ON dmtf_standards(body_id);";

/* Section 5.3: change requests through the feedback portal (R42-R45) and
 * joint meetings under the IP policy (R45-R49); the WR template's
 * agreed feedback restrictions (5.3.1). Minutes and decisions are kept. */
static const char m9_feedback_and_meetings[] =
	"ALTER TABLE work_registers ADD COLUMN feedback_restrictions TEXT;"
	"CREATE TABLE change_requests ("
	" id INTEGER PRIMARY KEY,"
	" dmtf_standard_id INTEGER NOT NULL REFERENCES dmtf_standards(id),"
	" dsp TEXT NOT NULL,"
	" standard_version TEXT NOT NULL,"
	" section TEXT,"
	" problem TEXT NOT NULL,"
	" proposed_change TEXT NOT NULL,"
	" rationale TEXT NOT NULL,"
	" attachments JSONTEXT NOT NULL DEFAULT '[]',"
	" partner_id INTEGER REFERENCES organizations(id),"
	" wr_id INTEGER REFERENCES work_registers(id),"
	" attested BOOLEAN NOT NULL DEFAULT 0,"
	" restrictions TEXT NOT NULL CHECK (restrictions IN ('free','wr_agreed')),"
	" restrictions_text TEXT,"
	" submitter_id INTEGER NOT NULL REFERENCES people(id),"
	" submitter_email TEXT NOT NULL,"
	" body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" status TEXT NOT NULL CHECK (status IN ('submitted','under_review','needs_discussion','accepted','rejected','withdrawn')),"
	" decision TEXT,"
	" closed_at TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX change_requests_body ON change_requests(body_id, status);"
	"CREATE INDEX change_requests_partner ON change_requests(partner_id);"
	"CREATE INDEX change_requests_submitter ON change_requests(submitter_id);"
	"CREATE TABLE cr_messages ("
	" id INTEGER PRIMARY KEY,"
	" cr_id INTEGER NOT NULL REFERENCES change_requests(id),"
	" direction TEXT NOT NULL CHECK (direction IN ('to_submitter','from_submitter','note')),"
	" author TEXT NOT NULL,"
	" author_id INTEGER REFERENCES people(id),"
	" text TEXT NOT NULL,"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX cr_messages_cr ON cr_messages(cr_id);"
	"CREATE TRIGGER cr_messages_keep_u BEFORE UPDATE ON cr_messages BEGIN SELECT RAISE(ABORT, 'messages are kept'); END;"
	"CREATE TRIGGER cr_messages_keep_d BEFORE DELETE ON cr_messages BEGIN SELECT RAISE(ABORT, 'messages are kept'); END;"
	"CREATE TABLE joint_meetings ("
	" id INTEGER PRIMARY KEY,"
	" body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" partner_id INTEGER NOT NULL REFERENCES organizations(id),"
	" cr_id INTEGER REFERENCES change_requests(id),"
	" wr_id INTEGER REFERENCES work_registers(id),"
	" title TEXT NOT NULL,"
	" starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, time_zone TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('teleconference','face_to_face')),"
	" location TEXT, agenda TEXT,"
	" status TEXT NOT NULL CHECK (status IN ('scheduled','announced','in_progress','ended','cancelled')),"
	" announced_at TEXT, ip_policy_version TEXT,"
	" ip_read_at TEXT, ip_read_by TEXT,"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX joint_meetings_cr ON joint_meetings(cr_id);"
	"CREATE INDEX joint_meetings_wr ON joint_meetings(wr_id);"
	"CREATE INDEX joint_meetings_partner ON joint_meetings(partner_id);"
	"CREATE INDEX joint_meetings_body ON joint_meetings(body_id);"
	"CREATE TABLE meeting_participants ("
	" id INTEGER PRIMARY KEY,"
	" meeting_id INTEGER NOT NULL REFERENCES joint_meetings(id),"
	" person_id INTEGER REFERENCES people(id),"
	" name TEXT NOT NULL, email TEXT NOT NULL, organization TEXT NOT NULL,"
	" dmtf_member BOOLEAN NOT NULL DEFAULT 0,"
	" observer BOOLEAN NOT NULL DEFAULT 0,"
	" present BOOLEAN NOT NULL DEFAULT 0,"
	" left_at TEXT,"
	" ip_ack TEXT NOT NULL DEFAULT 'pending' CHECK (ip_ack IN ('pending','accepted','declined')),"
	" ip_ack_at TEXT, ip_ack_version TEXT, ip_ack_recorded_by TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
	" UNIQUE (meeting_id, email));"
	"CREATE INDEX meeting_participants_person ON meeting_participants(person_id);"
	"CREATE TABLE meeting_records ("
	" id INTEGER PRIMARY KEY,"
	" meeting_id INTEGER NOT NULL REFERENCES joint_meetings(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('minutes','decision','item')),"
	" text TEXT NOT NULL,"
	" author TEXT NOT NULL,"
	" author_id INTEGER REFERENCES people(id),"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX meeting_records_meeting ON meeting_records(meeting_id);"
	"CREATE TRIGGER meeting_records_keep_u BEFORE UPDATE ON meeting_records BEGIN SELECT RAISE(ABORT, 'minutes are kept'); END;"
	"CREATE TRIGGER meeting_records_keep_d BEFORE DELETE ON meeting_records BEGIN SELECT RAISE(ABORT, 'minutes are kept'); END;"
	"INSERT INTO notify_rules (event, role) VALUES"
	" ('cr.submitted','body_chair'),('cr.submitted','submitter'),('cr.submitted','vp'),('cr.changed','submitter'),"
	" ('cr.changed','body_chair'),('cr.reply','body_chair');";

/* R34, R35: the delegation rules are the organization's text, each
 * version kept; a partner taking delegated work records its agreement to
 * the version in force (who, when). 3.2: the working groups' commitment to
 * their deliverables is part of the WR. */
static const char m10_delegation[] =
	"CREATE TABLE delegation_rules ("
	" id INTEGER PRIMARY KEY,"
	" version INTEGER NOT NULL UNIQUE,"
	" text TEXT NOT NULL,"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL);"
	"CREATE TRIGGER delegation_rules_keep_u BEFORE UPDATE ON delegation_rules BEGIN SELECT RAISE(ABORT, 'versions are kept'); END;"
	"CREATE TRIGGER delegation_rules_keep_d BEFORE DELETE ON delegation_rules BEGIN SELECT RAISE(ABORT, 'versions are kept'); END;"
	"INSERT INTO delegation_rules (version, text, created_by, created_at)"
	" SELECT 1, value, 'migration', strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM settings WHERE key = 'delegation_rules_text' AND value <> '';"
	"CREATE TABLE delegation_agreements ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" rules_version INTEGER NOT NULL,"
	" agreed_by TEXT NOT NULL,"
	" agreed_by_id INTEGER REFERENCES people(id),"
	" agreed_at TEXT NOT NULL,"
	" UNIQUE (wr_id, rules_version));"
	"CREATE TRIGGER delegation_agreements_keep BEFORE DELETE ON delegation_agreements BEGIN SELECT RAISE(ABORT, 'agreements are kept'); END;"
	"ALTER TABLE work_registers ADD COLUMN wg_commitment TEXT;";

/* R46: who hears of a joint meeting's announcement is data too. */
static const char m11_meeting_rules[] =
	"INSERT OR IGNORE INTO notify_rules (event, role) VALUES ('meeting.announced','participants'),"
	" ('meeting.announced','body_members');";

/* Delivery (issue 10): each message of the outbox has a state. "held"
 * waits for its person's daily digest; "queued" and "retrying" wait for
 * next_attempt_at; "sending" is claimed by a deliverer until lease_until
 * (a deliverer that died leaves it to be claimed again when the lease
 * ends); "sent" only after the mail server accepted it; "dead" after a
 * permanent refusal or the retry budget, until an administrator retries
 * it; "digested" went out inside digest_id. Each person chooses immediate
 * mail or a daily digest; a calendar feed is reached by a secret token,
 * kept as its hash. The R27 reminders also come on the last days. */
static const char m12_delivery[] =
	"ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'queued'"
	" CHECK (state IN ('held','queued','sending','retrying','sent','dead','digested'));"
	"ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE outbox ADD COLUMN lease_until INTEGER;"
	"ALTER TABLE outbox ADD COLUMN claim TEXT;"
	"ALTER TABLE outbox ADD COLUMN last_error TEXT;"
	"ALTER TABLE outbox ADD COLUMN message_id TEXT;"
	"ALTER TABLE outbox ADD COLUMN digest_id INTEGER REFERENCES outbox(id);"
	"ALTER TABLE outbox ADD COLUMN updated_at TEXT;"
	"ALTER TABLE outbox ADD COLUMN link TEXT;"
	"UPDATE outbox SET state = 'sent' WHERE sent_at IS NOT NULL;"
	"CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"
	"CREATE INDEX outbox_person ON outbox(person_id, state);"
	"ALTER TABLE people ADD COLUMN mail_mode TEXT NOT NULL DEFAULT 'immediate' CHECK (mail_mode IN ('immediate','daily'));"
	"ALTER TABLE people ADD COLUMN calendar_hash TEXT;"
	"CREATE UNIQUE INDEX people_calendar ON people(calendar_hash) WHERE calendar_hash IS NOT NULL;"
	"INSERT OR IGNORE INTO settings (key, value, updated_at) VALUES"
	" ('deadline_reminder_days','7,3,1,0', strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	" ('digest_hour','7', strftime('%Y-%m-%dT%H:%M:%SZ','now'));"
	"UPDATE settings SET value = '90,30,7,3,1,0' WHERE key = 'review_reminder_days' AND value = '90,30,7';"
	"INSERT OR IGNORE INTO notify_rules (event, role) VALUES ('ballot.reminder','voters');"
	/* R21: each published version's commit in the git repository */
	"CREATE TABLE publications ("
	" id INTEGER PRIMARY KEY REFERENCES wr_versions(id),"
	" commit_id TEXT NOT NULL,"
	" tag TEXT NOT NULL,"
	" published_at TEXT NOT NULL);";

/* Issue 11: the audit log as a hash chain (core/chain.c): each event's
 * BLAKE2b hash and its predecessor's; events written before this
 * migration have none and stand before the chain. */
static const char m13_chain[] =
	"ALTER TABLE audit ADD COLUMN prev_hash TEXT;"
	"ALTER TABLE audit ADD COLUMN hash TEXT;"
	/* signed checkpoints of the chain (Ed25519 over the text of
	 * core_checkpoint_text), published on the public site */
	"CREATE TABLE checkpoints ("
	" id INTEGER PRIMARY KEY,"
	" last_id INTEGER NOT NULL,"
	" count INTEGER NOT NULL,"
	" head TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" published_versions INTEGER NOT NULL,"
	" public_key TEXT NOT NULL,"
	" signature TEXT NOT NULL);"
	"CREATE TRIGGER checkpoints_keep_u BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are kept'); END;"
	"CREATE TRIGGER checkpoints_keep_d BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are kept'); END;";

/* Ballot receipts (issue 11): every vote cast is an entry of its ballot's
 * own hash chain (core/receipt.c); the voter keeps the entry's receipt.
 * voter_tag stands for the voter in the chain (random, per ballot and
 * voter), so the chain can be shown to whoever may see the ballot without
 * saying who voted how. At the close the chain's head, length and tally
 * are written in the same transaction (a seal waiting for its signature);
 * the signer adds the Ed25519 signature once, and nothing changes after. */
static const char m14_receipts[] =
	"ALTER TABLE votes ADD COLUMN voter_tag TEXT;"
	"CREATE TABLE ballot_receipts ("
	" id INTEGER PRIMARY KEY,"
	" ballot_id INTEGER NOT NULL REFERENCES ballots(id),"
	" seq INTEGER NOT NULL,"
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" voter_tag TEXT NOT NULL,"
	" choice TEXT NOT NULL CHECK (choice IN ('yes','no','abstain')),"
	" prev TEXT NOT NULL,"
	" receipt TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" UNIQUE (ballot_id, seq));"
	"CREATE TRIGGER ballot_receipts_keep_u BEFORE UPDATE ON ballot_receipts BEGIN SELECT RAISE(ABORT, 'receipts are kept'); END;"
	"CREATE TRIGGER ballot_receipts_keep_d BEFORE DELETE ON ballot_receipts BEGIN SELECT RAISE(ABORT, 'receipts are kept'); END;"
	"CREATE TABLE ballot_seals ("
	" id INTEGER PRIMARY KEY,"
	" ballot_id INTEGER NOT NULL UNIQUE REFERENCES ballots(id),"
	" count INTEGER NOT NULL,"
	" head TEXT NOT NULL,"
	" yes INTEGER NOT NULL, no INTEGER NOT NULL, abstain INTEGER NOT NULL,"
	" closed_at TEXT NOT NULL,"
	" public_key TEXT,"
	" signature TEXT,"
	" signed_at TEXT);"
	"CREATE INDEX ballot_seals_unsigned ON ballot_seals(signature) WHERE signature IS NULL;"
	"CREATE TRIGGER ballot_seals_once BEFORE UPDATE ON ballot_seals WHEN OLD.signature IS NOT NULL"
	" BEGIN SELECT RAISE(ABORT, 'a signed seal never changes'); END;"
	"CREATE TRIGGER ballot_seals_keep BEFORE DELETE ON ballot_seals BEGIN SELECT RAISE(ABORT, 'seals are kept'); END;";

/* Issue 21: why an amendment was rejected (a refusal, a conflict with a
 * change applied since its base revision, the end of its WR). */
static const char m15_decisions[] =
	"ALTER TABLE amendments ADD COLUMN decision TEXT;"
	/* R15: the draft goes to "the committees", every one of them, through
	 * their chairs; only the ballots are of the involved ones (R4, R5) */
	"UPDATE notify_rules SET role = 'all_committee_chairs' WHERE event = 'wr.socialized' AND role = 'committee_chairs';";

/* R35: new delegation rules ask the partners with delegated work to agree again. */
static const char m16_delegation_changed[] =
	"INSERT OR IGNORE INTO notify_rules (event, role) VALUES ('delegation.changed','partner_reps'),('delegation.changed','owner');";

/* R25: a milestone whose completion is announced, and who hears of it. */
static const char m17_significant_milestones[] =
	"ALTER TABLE milestones ADD COLUMN significant BOOLEAN NOT NULL DEFAULT 0;"
	"INSERT OR IGNORE INTO notify_rules (event, role) VALUES ('milestone.completed','vp'),('milestone.completed','marketing_chair');";

/* R45: who agreed a joint meeting's format for the partner. */
static const char m18_meeting_format[] =
	"ALTER TABLE joint_meetings ADD COLUMN format_agreed_by TEXT;";

/* R38 (issue 21, 19): an AP identifier is unique per partner among the
 * rows of its live WRs; a withdrawn or removed WR releases its rows'
 * identifiers (released_at), which stay in its history. The table-level
 * UNIQUE (partner_id, ap_id) cannot be dropped in SQLite: the table is
 * built again, with its indexes and the search triggers of m5. */
static const char m19_reusable_identifiers[] =
	STORE_REBUILD
	"CREATE TABLE standards_new ("
	" id INTEGER PRIMARY KEY,"
	" wr_id INTEGER NOT NULL REFERENCES work_registers(id),"
	" partner_id INTEGER NOT NULL REFERENCES organizations(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('joint','delegated')),"
	" standard_type TEXT NOT NULL,"
	" ap_id TEXT NOT NULL,"
	" description TEXT NOT NULL,"
	" domain TEXT NOT NULL,"
	" lead_org TEXT NOT NULL,"
	" ip_policy TEXT NOT NULL CHECK (ip_policy IN ('DMTF','partner')),"
	" owning_org TEXT NOT NULL CHECK (owning_org IN ('DMTF','partner')),"
	" developing_org TEXT NOT NULL CHECK (developing_org IN ('DMTF','partner')),"
	" maintaining_org TEXT NOT NULL CHECK (maintaining_org IN ('DMTF','partner')),"
	" is_group BOOLEAN NOT NULL DEFAULT 0,"
	" replaces_id INTEGER REFERENCES standards_new(id),"
	" status TEXT NOT NULL DEFAULT 'current' CHECK (status IN ('current','replaced')),"
	" replaced_at TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
	" released_at TEXT);"
	"INSERT INTO standards_new (id, wr_id, partner_id, kind, standard_type, ap_id, description, domain, lead_org, ip_policy, owning_org, developing_org, maintaining_org, is_group, replaces_id, status, replaced_at, created_at, updated_at) SELECT id, wr_id, partner_id, kind, standard_type, ap_id, description, domain, lead_org, ip_policy, owning_org, developing_org, maintaining_org, is_group, replaces_id, status, replaced_at, created_at, updated_at FROM standards;"
	"UPDATE standards_new SET released_at = coalesce((SELECT w.ended_at FROM work_registers w WHERE w.id = standards_new.wr_id), updated_at)"
	" WHERE wr_id IN (SELECT id FROM work_registers WHERE status IN ('withdrawn','removed'));"
	"DROP TABLE standards;"
	"ALTER TABLE standards_new RENAME TO standards;"
	"CREATE UNIQUE INDEX standards_ap_id ON standards(partner_id, ap_id) WHERE released_at IS NULL;"
	"CREATE INDEX standards_wr ON standards(wr_id);"
	"CREATE INDEX standards_domain ON standards(domain);"
	"CREATE INDEX standards_replaces ON standards(replaces_id);"
	"CREATE INDEX standards_type ON standards(standard_type);"
	"CREATE TRIGGER wr_text_standards_insert AFTER INSERT ON standards BEGIN"
	" UPDATE wr_text SET table1 = coalesce((SELECT group_concat(ap_id || ' ' || standard_type || ' ' || description || ' ' || domain, ' ') FROM standards s WHERE s.wr_id = new.wr_id AND s.status = 'current'), '') WHERE rowid = new.wr_id; END;"
	"CREATE TRIGGER wr_text_standards_update AFTER UPDATE ON standards BEGIN"
	" UPDATE wr_text SET table1 = coalesce((SELECT group_concat(ap_id || ' ' || standard_type || ' ' || description || ' ' || domain, ' ') FROM standards s WHERE s.wr_id = new.wr_id AND s.status = 'current'), '') WHERE rowid = new.wr_id;"
	" UPDATE wr_text SET table1 = coalesce((SELECT group_concat(ap_id || ' ' || standard_type || ' ' || description || ' ' || domain, ' ') FROM standards s WHERE s.wr_id = old.wr_id AND s.status = 'current'), '') WHERE rowid = old.wr_id AND old.wr_id <> new.wr_id; END;"
	"CREATE TRIGGER wr_text_standards_delete AFTER DELETE ON standards BEGIN"
	" UPDATE wr_text SET table1 = coalesce((SELECT group_concat(ap_id || ' ' || standard_type || ' ' || description || ' ' || domain, ' ') FROM standards s WHERE s.wr_id = old.wr_id AND s.status = 'current'), '') WHERE rowid = old.wr_id; END;";

/* R10 (issue 21): member companies are organizations with a membership
 * level, and only a Board or Leadership member proposes a WR; a WR names
 * the organization that proposed it and, for an external one, that its
 * representative acts for its board. The kind's CHECK is a column's: the
 * table is built again, with its index and the stamps' triggers of m4. */
static const char m20_member_companies[] =
	STORE_REBUILD
	"CREATE TABLE organizations_new ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL COLLATE NOCASE UNIQUE,"
	" short_name TEXT NOT NULL COLLATE NOCASE UNIQUE,"
	" kind TEXT NOT NULL CHECK (kind IN ('host','partner','member')),"
	" website TEXT,"
	" status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('prospective','active','former')),"
	" description TEXT,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
	" membership_level TEXT CHECK (membership_level IN ('board','leadership','participation','academic')),"
	" CHECK ((kind = 'member') = (membership_level IS NOT NULL)));"
	"INSERT INTO organizations_new (id, name, short_name, kind, website, status, description, created_at, updated_at)"
	" SELECT id, name, short_name, kind, website, status, description, created_at, updated_at FROM organizations;"
	"DROP TABLE organizations;"
	"ALTER TABLE organizations_new RENAME TO organizations;"
	"CREATE UNIQUE INDEX organizations_one_host ON organizations(kind) WHERE kind = 'host';"
	"CREATE TRIGGER stamps_organizations_insert AFTER INSERT ON organizations BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_organizations_update AFTER UPDATE ON organizations BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TRIGGER stamps_organizations_delete AFTER DELETE ON organizations BEGIN UPDATE stamps SET people = random(); END;"
	"ALTER TABLE work_registers ADD COLUMN proposer_org_id INTEGER REFERENCES organizations(id);"
	"ALTER TABLE work_registers ADD COLUMN proposer_for TEXT CHECK (proposer_for IN ('board'));"
	"UPDATE work_registers SET proposer_org_id = partner_id, proposer_for = 'board' WHERE proposed_by = 'partner';"
	"UPDATE work_registers SET proposer_org_id = (SELECT id FROM organizations WHERE kind = 'host') WHERE proposed_by = 'member';";

/* Section 2.2 (issue 21): the owner delivers the draft in a timely manner:
 * a drafting target date set with the VP of Alliances; the owner reminded
 * at the lead times, the VP told when it passes. */
static const char m21_drafting_target[] =
	"ALTER TABLE work_registers ADD COLUMN drafting_target_date TEXT;"
	"INSERT OR IGNORE INTO settings (key, value) VALUES ('drafting_reminder_days','30,7,1,0');"
	"INSERT OR IGNORE INTO notify_rules (event, role) VALUES ('drafting.due','owner'),('drafting.overdue','vp'),('drafting.overdue','owner');";

/* Issue 23: the defaults name no real organization's addresses. A new
 * database (no organization yet: init gives the body's own) names
 * example.org; a database in use keeps what it has. */
static const char m22_example_addresses[] =
	"UPDATE settings SET value = 'requests@example.org' WHERE key = 'requests_address' AND value = 'dmtf-requests@kavi.com'"
	" AND NOT EXISTS (SELECT 1 FROM organizations);"
	"UPDATE settings SET value = 'alliance-partner@example.org' WHERE key = 'alliance_list_address'"
	" AND value = 'alliance-partner@dmtf.org' AND NOT EXISTS (SELECT 1 FROM organizations);"
	"UPDATE settings SET value = 'press@example.org' WHERE key = 'press_address' AND value = 'press@dmtf.org'"
	" AND NOT EXISTS (SELECT 1 FROM organizations);";

/* Issue 24: people manage their own access. Single-use links (an
 * invitation, valid 7 days; a password reset, valid one hour) kept as the
 * hash of their token; sessions say where and with what they were opened
 * and when last used (that column alone does not renew the people stamp:
 * it changes every few minutes); TOTP (RFC 6238) with the last time step
 * used, so that a code is taken once; recovery codes kept hashed; the
 * audit names the person an operator acted for (--as). */
static const char m23_accounts[] =
	"ALTER TABLE people ADD COLUMN password_changed_at TEXT;"
	"ALTER TABLE people ADD COLUMN totp_secret TEXT;"
	"ALTER TABLE people ADD COLUMN totp_enabled_at TEXT;"
	"ALTER TABLE people ADD COLUMN totp_last_step INTEGER;"
	"ALTER TABLE sessions ADD COLUMN address TEXT;"
	"ALTER TABLE sessions ADD COLUMN user_agent TEXT;"
	"ALTER TABLE sessions ADD COLUMN last_used_at INTEGER;"
	"ALTER TABLE sessions ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT 0;"
	"ALTER TABLE sessions ADD COLUMN enrol_only BOOLEAN NOT NULL DEFAULT 0;"
	"DROP TRIGGER stamps_sessions_update;"
	"CREATE TRIGGER stamps_sessions_update AFTER UPDATE OF person_id, id_hash, csrf, expires_at, enrol_only ON sessions"
	" BEGIN UPDATE stamps SET people = random(); END;"
	"CREATE TABLE account_links ("
	" id INTEGER PRIMARY KEY,"
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" purpose TEXT NOT NULL CHECK (purpose IN ('invitation','reset')),"
	" token_hash TEXT NOT NULL UNIQUE,"
	" created_by INTEGER REFERENCES people(id),"
	" created_at TEXT NOT NULL,"
	" expires_at INTEGER NOT NULL,"
	" used_at TEXT,"
	" revoked_at TEXT);"
	"CREATE INDEX account_links_person ON account_links(person_id, purpose);"
	"CREATE TABLE recovery_codes ("
	" id INTEGER PRIMARY KEY,"
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" code_hash TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" used_at TEXT);"
	"CREATE INDEX recovery_codes_person ON recovery_codes(person_id);"
	"ALTER TABLE audit ADD COLUMN on_behalf_id INTEGER;"
	"INSERT OR IGNORE INTO settings (key, value) VALUES ('two_factor_roles', '');";

/* Issue 25: a write sent with an Idempotency-Key is answered once; the
 * same key again, from the same person, gets the first answer back
 * instead of doing it twice (a double click, a retry after a lost
 * answer). Kept a day: each insert removes what is older. */
static const char m24_idempotency[] =
	"CREATE TABLE idempotency_keys ("
	" id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,"
	" status INTEGER NOT NULL, body TEXT, location TEXT, revision INTEGER, created_at INTEGER NOT NULL,"
	" UNIQUE (person_id, key));"
	"CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);"
	"CREATE TRIGGER idempotency_keys_expire AFTER INSERT ON idempotency_keys BEGIN"
	" DELETE FROM idempotency_keys WHERE created_at < NEW.created_at - 86400; END;";

/* Issue 27: the newest wr_versions id a checkpoint counted published
 * versions through, so the next head counts on from it (null: counted
 * before, the next head counts from nothing). Not signed: a count's
 * starting point, not a claim. */
static const char m25_flat_costs[] =
	"ALTER TABLE checkpoints ADD COLUMN versions_through INTEGER;"
	/* each signing key's first and last checkpoint, for the keys' periods
	 * of the public checkpoints page, without reading every checkpoint */
	"CREATE INDEX checkpoints_key ON checkpoints(public_key, id);"
	/* the portfolio's counts (reviews due, stagnant candidates, change
	 * requests by age) are ranges on these */
	"CREATE INDEX work_registers_review ON work_registers(status, next_review_date);"
	"CREATE INDEX work_registers_established ON work_registers(status, established_at);"
	"CREATE INDEX change_requests_age ON change_requests(status, created_at);"
	/* and a ballot's count of eligible voters beside the list, so a vote
	 * reads neither the list nor the ballot_voters of the ballot (the
	 * closed ballots' trigger lifted for the one update that fills it) */
	"ALTER TABLE ballots ADD COLUMN eligible_count INTEGER NOT NULL DEFAULT 0;"
	"DROP TRIGGER ballots_closed;"
	"UPDATE ballots SET eligible_count = json_array_length(eligible);"
	"CREATE TRIGGER ballots_closed BEFORE UPDATE ON ballots WHEN OLD.status <> 'open'"
	" BEGIN SELECT RAISE(ABORT, 'a closed ballot never changes'); END;"
	/* and whether a version is published (core__version_published: a
	 * label not 0.x), kept by triggers and indexed with the id, so the
	 * public feed reads its newest published versions and nothing else */
	"ALTER TABLE wr_versions ADD COLUMN published INTEGER NOT NULL DEFAULT 0;"
	"UPDATE wr_versions SET published = (label IS NOT NULL AND substr(label, 1, 2) <> '0.');"
	"CREATE INDEX wr_versions_published ON wr_versions(published, id);"
	"CREATE TRIGGER wr_versions_published_i AFTER INSERT ON wr_versions BEGIN"
	" UPDATE wr_versions SET published = (new.label IS NOT NULL AND substr(new.label, 1, 2) <> '0.') WHERE id = new.id; END;"
	"CREATE TRIGGER wr_versions_published_u AFTER UPDATE OF label ON wr_versions BEGIN"
	" UPDATE wr_versions SET published = (new.label IS NOT NULL AND substr(new.label, 1, 2) <> '0.') WHERE id = new.id; END;";

/* Issue 26: the sign-in throttle's counts (http/throttle.c), in the
 * database so that several servers on one database count together; a row
 * per key, the stale ones removed a few at a time as sign-ins end. */
static const char m26_throttle[] =
	"CREATE TABLE throttle ("
	" id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL CHECK (kind IN ('p', 'a', 'i', 'k', 'r')),"
	" last_at INTEGER NOT NULL DEFAULT 0, next_allowed INTEGER NOT NULL DEFAULT 0, began_at INTEGER NOT NULL DEFAULT 0,"
	" failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0), inflight INTEGER NOT NULL DEFAULT 0 CHECK (inflight >= 0));"
	"CREATE INDEX throttle_stale ON throttle(kind, last_at);";

const char *const store__sqlite_migrations[] = {
	m1_base,
	m2_process,
	m3_list_indexes,
	m4_stamps,
	m5_search,
	m6_ballot_voters,
	m7_version_labels,
	m8_registers,
	m9_feedback_and_meetings,
	m10_delegation,
	m11_meeting_rules,
	m12_delivery,
	m13_chain,
	m14_receipts,
	m15_decisions,
	m16_delegation_changed,
	m17_significant_milestones,
	m18_meeting_format,
	m19_reusable_identifiers,
	m20_member_companies,
	m21_drafting_target,
	m22_example_addresses,
	m23_accounts,
	m24_idempotency,
	m25_flat_costs,
	m26_throttle,
	NULL,
};
