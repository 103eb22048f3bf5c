#include "core/format.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

int eco_parse_format(const char *s, enum eco_format *out, struct eco_err *err)
{
    if (strcmp(s, "text") == 0)
        *out = ECO_FMT_TEXT;
    else if (strcmp(s, "json") == 0)
        *out = ECO_FMT_JSON;
    else if (strcmp(s, "csv") == 0)
        *out = ECO_FMT_CSV;
    else {
        eco_err_set(err, 2, "unknown format '%s'", s);
        eco_err_hint(err, "use --format text, --format json or --format csv");
        return -1;
    }
    return 0;
}

void eco_csv_field(FILE *out, const char *s)
{
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int eco_json_emit(FILE *out, struct cJSON *root)
{
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        return -1;
    fputs(s, out);
    fputc('\n', out);
    free(s);
    return ferror(out) ? -1 : 0;
}
