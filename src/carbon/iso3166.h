/* ISO 3166-1 country codes: alpha-2 (the carbon table's codes) <-> alpha-3
 * (what CodeCarbon writes, and what people type: FRA, USA). The table is
 * data/iso3166.tsv, compiled in, generated from Debian's iso-codes. */
#ifndef ECO_CARBON_ISO3166_H
#define ECO_CARBON_ISO3166_H

/* The alpha-3 code of an alpha-2 code ("FR" -> "FRA"), any case; NULL when
 * it is not an ISO 3166-1 country code (or the table failed to load). */
const char *eco_iso_alpha3(const char *alpha2);
/* The alpha-2 code of an alpha-3 code ("usa" -> "US"); NULL if unknown. */
const char *eco_iso_alpha2(const char *alpha3);

#endif
