/* Names of the entity model's enumerations. */
#include "redflag/entity.h"
#include "util/str.h"

#include <string.h>

const char *rf_schema_name(rf_schema s) {
    switch (s) {
    case RF_SCHEMA_PERSON:
        return "person";
    case RF_SCHEMA_ORGANIZATION:
        return "organization";
    case RF_SCHEMA_VESSEL:
        return "vessel";
    case RF_SCHEMA_AIRCRAFT:
        return "aircraft";
    default:
        return "";
    }
}

bool rf_schema_parse(const char *text, rf_schema *out) {
    static const struct {
        const char *name;
        rf_schema schema;
    } names[] = {
        {"person", RF_SCHEMA_PERSON},
        {"individual", RF_SCHEMA_PERSON},
        {"organization", RF_SCHEMA_ORGANIZATION},
        {"organisation", RF_SCHEMA_ORGANIZATION},
        {"entity", RF_SCHEMA_ORGANIZATION},
        {"company", RF_SCHEMA_ORGANIZATION},
        {"legalentity", RF_SCHEMA_ORGANIZATION},
        {"vessel", RF_SCHEMA_VESSEL},
        {"aircraft", RF_SCHEMA_AIRCRAFT},
        {"airplane", RF_SCHEMA_AIRCRAFT},
    };
    size_t n = strlen(text);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (rf_ieq(text, n, names[i].name)) {
            *out = names[i].schema;
            return true;
        }
    return false;
}

const char *rf_listing_str(rf_listing l) {
    return l == RF_LISTING_RELATED      ? "related"
           : l == RF_LISTING_BLOCKED_50 ? "blocked_50"
                                        : "listed";
}

const char *rf_name_kind_str(rf_name_kind k) {
    switch (k) {
    case RF_NAME_PRIMARY:
        return "primary";
    case RF_NAME_AKA:
        return "aka";
    case RF_NAME_FKA:
        return "fka";
    case RF_NAME_NKA:
        return "nka";
    case RF_NAME_DBA:
        return "dba";
    case RF_NAME_ORIGINAL:
        return "original_script";
    }
    return "aka";
}
