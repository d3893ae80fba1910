/* libFuzzer target: whatever bytes a client sends as a request head or a
 * chunked body go through the framing parser without a crash, a leak or
 * UB, and the answer does not depend on how the bytes were split across
 * reads (the loop parses again as bytes arrive). The first input byte
 * chooses the split. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/wire.h"

static void same_head(const char *data, size_t size, size_t split)
{
	char *a = malloc(size + 1), *b = malloc(size + 1);
	struct wire_head ha, hb;
	const char *why;
	size_t sa = 0, sb = 0;
	memcpy(a, data, size);
	memcpy(b, data, size);
	a[size] = b[size] = '\0';
	int ra = wire_parse_head(a, size, &sa, &ha, &why);
	int rb = wire_parse_head(b, split, &sb, &hb, &why);
	if (rb == 0) /* an incomplete head is left intact: go on with the rest */
		rb = wire_parse_head(b, size, &sb, &hb, &why);
	/* a refusal seen early in the first piece may differ in kind, never in outcome */
	if ((ra == 1) != (rb == 1) || (ra == 0) != (rb == 0))
		abort();
	if (ra == 1 && (ha.head_len != hb.head_len || ha.content_length != hb.content_length || ha.chunked != hb.chunked ||
			ha.nheaders != hb.nheaders || strcmp(wire_str(a, ha.target), wire_str(b, hb.target))))
		abort();
	free(a);
	free(b);
}

static void same_body(const char *data, size_t size, size_t split)
{
	char *a = malloc(size + 1), *b = malloc(size + 1);
	struct wire_chunks ca = { 0 }, cb = { 0 };
	const char *why;
	memcpy(a, data, size);
	memcpy(b, data, size);
	int ra = wire_dechunk(a, size, &ca, 1 << 20, &why);
	int rb = wire_dechunk(b, split, &cb, 1 << 20, &why);
	if (rb == 0)
		rb = wire_dechunk(b, size, &cb, 1 << 20, &why);
	if (ra != rb || (ra == 1 && (ca.out != cb.out || ca.in != cb.in || memcmp(a, b, ca.out))))
		abort();
	if (ca.out > ca.in || ca.in > size)
		abort();
	free(a);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t split = data[0] % size;
	same_head((const char *)data + 1, size - 1, split);
	same_body((const char *)data + 1, size - 1, split);
	char *out = malloc(size);
	wire_unescape((const char *)data + 1, size - 1, out, data[0] & 1);
	free(out);
	return 0;
}
