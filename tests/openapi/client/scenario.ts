// Issue 22: a client generated from docs/openapi.json (openapi-typescript)
// used as a client developer would (openapi-fetch): read a Work Register,
// comment on it, edit one field of it with a partial PATCH under its ETag.
// tests/openapi/client.sh compiles it under tsc --strict, with no cast.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type WorkRegister = components["schemas"]["WorkRegister"];
type Problem = components["schemas"]["Problem"];

export interface Outcome {
  title: string;
  owner: number | null;
  comments: number;
  refused?: Problem;
}

export async function scenario(baseUrl: string, token: string, id: string): Promise<Outcome> {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

  const read = await client.GET("/api/v1/work-registers/{id}", { params: { path: { id } } });
  if (!read.data) throw new Error(`read: ${read.response.status} ${read.error?.detail ?? ""}`);
  const wr: WorkRegister = read.data;
  const etag: string = read.response.headers.get("ETag") ?? "";
  const owner: number | null = wr.owner_id; // no owner yet is null, and typed so

  const comment = await client.POST("/api/v1/work-registers/{id}/comments", {
    params: { path: { id } },
    body: { text: "Is the list of deliverables complete?" },
  });
  const comments = comment.data ? 1 : 0;

  // a partial edit: one field, the ETag as it was read (R13)
  const edit = await client.PATCH("/api/v1/work-registers/{id}", {
    params: { path: { id }, header: { "If-Match": etag } },
    body: { title: `${wr.title} (edited)` },
  });
  if (edit.error) return { title: wr.title, owner, comments, refused: edit.error };
  const edited: WorkRegister = edit.data;
  return { title: edited.title, owner: edited.owner_id, comments };
}
