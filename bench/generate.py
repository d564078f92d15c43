"""Generate a realistic synthetic event table in the `events` schema, with planted errors.

    python bench/generate.py 1000000 --seed 1 --error-rate 0.001 bench/data/events-1m.csv
    python bench/generate.py 1000000 --seed 1 --pathological bench/data/patho-1m.csv
    python bench/generate.py 1000000 --seed 1 --error-rate 0.001 --change-rate 0.01 bench/data/events-1m-changed.csv

Every date form (day, month, year, intervals, open "by"/"from" ends, ~ ? % qualifiers) and
every count form (143, ~2500, 143+, <=50, 100-999, 2,500) appears; ~70 countries with real
city coordinates well inland (jittered by at most 0.05 degrees), ISO 3166-2 admin1 codes only
where the city is known to lie in that subdivision, Unicode place names, quotes and commas in
notes and a few multi-line notes. `source_date` is never after 2026-06-30 and, for status
`occurred`, never before the start of the event date.

`--error-rate R` plants errors in round(R*N) rows, one per row, in equal shares of six kinds
(see ERROR_KINDS). `--pathological` makes every row break two rules instead. `--change-rate C`
writes the same table as a later version would look, with round(C*N) rows touched in equal
shares of CHANGE_KINDS (a cell changed, a cell retyped, a row removed, a row added, an error
introduced, an error fixed): the other side of `toolkit diff`. A sidecar
`<OUT>.meta.json` records the parameters and the planted counts (bench/run.py reuses a file
whose sidecar matches). Fully vectorised (numpy + polars): 1,000,000 rows in a few seconds,
identical output for the same arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

GENERATOR_VERSION = 2

COLUMNS = (
    "event_id",
    "date",
    "status",
    "event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "injured",
    "personnel",
    "source",
    "source_url",
    "source_date",
    "notes",
)

ERROR_KINDS = (
    "bad_date",  # date '2024-02-30'                      -> date.invalid
    "count_order",  # fatalities '50-10'                  -> count.order
    "unknown_country",  # country 'XYZ'                   -> country.unknown
    "vocabulary_typo",  # status 'occured' / event_type 'atack' -> value.vocabulary
    "latitude_range",  # latitude 95.1234                 -> coordinates.range
    "duplicate_id",  # event_id copied from another row   -> value.unique (both copies)
)
# the rule each kind should trigger in `toolkit validate`
EXPECTED_RULES = {
    "bad_date": "date.invalid",
    "count_order": "count.order",
    "unknown_country": "country.unknown",
    "vocabulary_typo": "value.vocabulary",
    "latitude_range": "coordinates.range",
    "duplicate_id": "value.unique",
}

CHANGE_KINDS = (
    "changed",  # fatalities and notes get new values             -> a changed row
    "reformatted",  # latitude typed with a trailing zero (rows with one) -> reformatted
    "removed",  # the row is deleted                              -> removed
    "added",  # a new row (a copy under a new event_id) at the end -> added
    "error",  # the date becomes '2024-02-30'                     -> an introduced date.invalid
    "fixed",  # a row with a planted error gets the clean row's values back -> fixed findings
)

# Source dates end here (deterministic output whatever today is; must stay <= today).
SOURCE_DATE_MAX = date(2026, 6, 30)
EVENT_DATE_MIN = date(1995, 1, 1)

# (alpha-3, English name, [(ISO 3166-2 admin1 or "", place name, lat, lon), ...]).
# Cities are capitals or large cities well inland (> ~20 km from borders and coasts), so a
# jitter of <= 0.05 degrees (~5.5 km) keeps every point inside its country. admin1 only where
# the city is certainly in that subdivision (codes checked against pycountry's ISO 3166-2).
PLACES: tuple[tuple[str, str, tuple[tuple[str, str, float, float], ...]], ...] = (
    ("IRQ", "Iraq", (("IQ-BG", "Baghdad", 33.3152, 44.3661), ("IQ-KA", "Karbala (كربلاء)", 32.6160, 44.0249), ("IQ-AR", "Erbil (هەولێر)", 36.1911, 44.0092))),
    ("SYR", "Syria", (("SY-DI", "Damascus (دمشق)", 33.5138, 36.2765), ("SY-HM", "Hama", 35.1318, 36.7578), ("SY-DY", "Deir ez-Zor", 35.3359, 40.1408))),
    ("RUS", "Russia", (("RU-MOW", "Москва", 55.7558, 37.6173), ("RU-TA", "Казань", 55.7963, 49.1088), ("RU-NVS", "Новосибирск", 55.0084, 82.9357), ("RU-SVE", "Екатеринбург", 56.8389, 60.6057))),
    ("USA", "the United States", (("US-CO", "Denver", 39.7392, -104.9903), ("US-TX", "Dallas", 32.7767, -96.7970), ("US-GA", "Atlanta", 33.7490, -84.3880), ("US-IN", "Indianapolis", 39.7684, -86.1581), ("US-OK", "Oklahoma City", 35.4676, -97.5164))),
    ("UKR", "Ukraine", (("UA-30", "Київ", 50.4501, 30.5234), ("UA-05", "Вінниця", 49.2331, 28.4682), ("UA-53", "Полтава", 49.5883, 34.5514))),
    ("AFG", "Afghanistan", (("AF-KAB", "Kabul", 34.5553, 69.2075), ("AF-GHA", "Ghazni", 33.5536, 68.4209), ("AF-BAL", "Mazar-i-Sharif", 36.7090, 67.1109))),
    ("IRN", "Iran", (("", "Tehran (تهران)", 35.6892, 51.3890), ("", "Isfahan (اصفهان)", 32.6546, 51.6680), ("", "Mashhad", 36.2605, 59.6168))),
    ("TUR", "Türkiye", (("TR-06", "Ankara", 39.9334, 32.8597), ("TR-42", "Konya", 37.8746, 32.4932), ("TR-38", "Kayseri", 38.7312, 35.4787))),
    ("EGY", "Egypt", (("EG-C", "Cairo (القاهرة)", 30.0444, 31.2357), ("EG-AST", "Asyut", 27.1783, 31.1859), ("EG-LX", "Luxor", 25.6872, 32.6396))),
    ("SAU", "Saudi Arabia", (("SA-01", "Riyadh (الرياض)", 24.7136, 46.6753), ("SA-05", "Buraidah", 26.3260, 43.9750), ("SA-06", "Ha'il", 27.5114, 41.6900))),
    ("JOR", "Jordan", (("JO-AM", "Amman (عمّان)", 31.9539, 35.9106), ("JO-MN", "Ma'an", 30.1962, 35.7341))),
    ("YEM", "Yemen", (("", "Sana'a (صنعاء)", 15.3694, 44.1910), ("", "Marib", 15.4591, 45.3253))),
    ("PAK", "Pakistan", (("PK-IS", "Islamabad", 33.6844, 73.0479), ("PK-PB", "Faisalabad", 31.4504, 73.1350), ("PK-PB", "Multan", 30.1575, 71.5249))),
    ("IND", "India", (("IN-DL", "New Delhi", 28.6139, 77.2090), ("IN-MH", "Nagpur", 21.1458, 79.0882), ("IN-MP", "Bhopal (भोपाल)", 23.2599, 77.4126), ("IN-RJ", "Jaipur", 26.9124, 75.7873))),
    ("CHN", "China", (("CN-BJ", "北京", 39.9042, 116.4074), ("", "成都", 30.5728, 104.0668), ("", "武汉", 30.5928, 114.3055), ("", "西安", 34.3416, 108.9398))),
    ("MNG", "Mongolia", (("MN-1", "Улаанбаатар", 47.8864, 106.9057),)),
    ("KAZ", "Kazakhstan", (("", "Astana", 51.1694, 71.4491), ("", "Qaraghandy (Қарағанды)", 49.8047, 73.1094))),
    ("UZB", "Uzbekistan", (("", "Samarqand", 39.6542, 66.9597), ("", "Buxoro", 39.7681, 64.4556))),
    ("DEU", "Germany", (("DE-BE", "Berlin", 52.5200, 13.4050), ("DE-HE", "Kassel", 51.3127, 9.4797), ("DE-BY", "Nürnberg", 49.4521, 11.0767), ("DE-NI", "Hannover", 52.3759, 9.7320))),
    ("FRA", "France", (("", "Paris", 48.8566, 2.3522), ("", "Lyon", 45.7640, 4.8357), ("", "Orléans", 47.9030, 1.9093), ("", "Limoges", 45.8336, 1.2611))),
    ("ESP", "Spain", (("ES-MD", "Madrid", 40.4168, -3.7038), ("", "Zaragoza", 41.6488, -0.8891), ("", "Córdoba", 37.8882, -4.7794))),
    ("POL", "Poland", (("", "Warszawa", 52.2297, 21.0122), ("", "Łódź", 51.7592, 19.4560), ("", "Kraków", 50.0647, 19.9450))),
    ("ITA", "Italy", (("", "Firenze", 43.7696, 11.2558), ("", "Bologna", 44.4949, 11.3426), ("", "Milano", 45.4642, 9.1900), ("", "Perugia", 43.1107, 12.3908))),
    ("GBR", "the United Kingdom", (("", "Birmingham", 52.4862, -1.8904), ("", "Leicester", 52.6369, -1.1398), ("", "Oxford", 51.7520, -1.2577), ("", "Nottingham", 52.9548, -1.1581))),
    ("NGA", "Nigeria", (("NG-FC", "Abuja", 9.0765, 7.3986), ("NG-KN", "Kano", 12.0022, 8.5920), ("NG-OY", "Ibadan", 7.3775, 3.9470), ("NG-KD", "Kaduna", 10.5105, 7.4165))),
    ("ETH", "Ethiopia", (("ET-AA", "Addis Ababa (አዲስ አበባ)", 9.0300, 38.7400), ("", "Gondar", 12.6030, 37.4521), ("", "Hawassa", 7.0621, 38.4764))),
    ("KEN", "Kenya", (("", "Nairobi", -1.2921, 36.8219), ("", "Nakuru", -0.3031, 36.0800), ("", "Eldoret", 0.5143, 35.2698))),
    ("COD", "the DR Congo", (("", "Kisangani", 0.5153, 25.1911), ("", "Kananga", -5.8960, 22.4179), ("", "Mbuji-Mayi", -6.1360, 23.5898))),
    ("SDN", "Sudan", (("", "Khartoum (الخرطوم)", 15.5007, 32.5599), ("", "El Obeid", 13.1843, 30.2167), ("", "Wad Madani", 14.4012, 33.5199))),
    ("MLI", "Mali", (("", "Bamako", 12.6392, -8.0029), ("", "Ségou", 13.4317, -6.2157), ("", "Mopti", 14.4843, -4.1830))),
    ("BFA", "Burkina Faso", (("", "Ouagadougou", 12.3714, -1.5197), ("", "Koudougou", 12.2526, -2.3627))),
    ("NER", "Niger", (("", "Niamey", 13.5116, 2.1254), ("", "Zinder", 13.8069, 8.9881), ("", "Agadez", 16.9742, 7.9865))),
    ("CMR", "Cameroon", (("", "Yaoundé", 3.8480, 11.5021), ("", "Bafoussam", 5.4781, 10.4176), ("", "Ngaoundéré", 7.3263, 13.5847))),
    ("BRA", "Brazil", (("BR-DF", "Brasília", -15.7939, -47.8828), ("BR-MG", "Belo Horizonte", -19.9167, -43.9345), ("BR-GO", "Goiânia", -16.6869, -49.2648), ("BR-SP", "Campinas", -22.9099, -47.0626))),
    ("ARG", "Argentina", (("AR-X", "Córdoba", -31.4201, -64.1888), ("AR-M", "Mendoza", -32.8895, -68.8458), ("AR-T", "San Miguel de Tucumán", -26.8083, -65.2176))),
    ("COL", "Colombia", (("CO-DC", "Bogotá", 4.7110, -74.0721), ("CO-ANT", "Medellín", 6.2442, -75.5812), ("CO-VAC", "Cali", 3.4516, -76.5320))),
    ("MEX", "Mexico", (("MX-CMX", "Ciudad de México", 19.4326, -99.1332), ("MX-JAL", "Guadalajara", 20.6597, -103.3496), ("MX-NLE", "Monterrey", 25.6866, -100.3161), ("MX-PUE", "Puebla", 19.0414, -98.2063))),
    ("PER", "Peru", (("", "Arequipa", -16.4090, -71.5375), ("", "Cusco (Qusqu)", -13.5320, -71.9675), ("", "Huancayo", -12.0651, -75.2049))),
    ("BOL", "Bolivia", (("", "La Paz", -16.4897, -68.1193), ("", "Cochabamba", -17.4139, -66.1653), ("", "Santa Cruz de la Sierra", -17.7833, -63.1821))),
    ("CHL", "Chile", (("", "Santiago", -33.4489, -70.6693), ("", "Rancagua", -34.1708, -70.7444), ("", "Talca", -35.4264, -71.6554))),
    ("CAN", "Canada", (("CA-AB", "Calgary", 51.0447, -114.0719), ("CA-AB", "Edmonton", 53.5461, -113.4938), ("CA-MB", "Winnipeg", 49.8951, -97.1384), ("CA-ON", "Ottawa", 45.4215, -75.6972))),
    ("AUS", "Australia", (("AU-ACT", "Canberra", -35.2809, 149.1300), ("AU-NT", "Alice Springs", -23.6980, 133.8807))),
    ("JPN", "Japan", (("JP-19", "甲府", 35.6622, 138.5683), ("JP-20", "長野", 36.6486, 138.1948), ("JP-10", "前橋", 36.3895, 139.0634), ("JP-09", "宇都宮", 36.5551, 139.8826))),
    ("THA", "Thailand", (("", "เชียงใหม่", 18.7883, 98.9853), ("", "Khon Kaen", 16.4419, 102.8360), ("", "Nakhon Ratchasima", 14.9799, 102.0978))),
    ("MMR", "Myanmar", (("", "Naypyidaw", 19.7633, 96.0785), ("", "Mandalay", 21.9588, 96.0891))),
    # not Hà Nội: the toolkit's borders (timezone polygons) put northern Viet Nam in Thailand
    ("VNM", "Viet Nam", (("", "Pleiku", 13.9833, 108.0000), ("", "Buôn Ma Thuột", 12.6667, 108.0500))),
    ("ZAF", "South Africa", (("ZA-GP", "Johannesburg", -26.2041, 28.0473), ("ZA-GP", "Pretoria", -25.7479, 28.2293), ("ZA-FS", "Bloemfontein", -29.0852, 26.1596))),
    ("ZWE", "Zimbabwe", (("", "Harare", -17.8252, 31.0335), ("", "Bulawayo", -20.1325, 28.6265))),
    ("ZMB", "Zambia", (("", "Lusaka", -15.3875, 28.3228), ("", "Kabwe", -14.4469, 28.4464))),
    ("TZA", "Tanzania", (("", "Dodoma", -6.1630, 35.7516), ("", "Tabora", -5.0162, 32.8266))),
    ("UGA", "Uganda", (("", "Gulu", 2.7724, 32.2881), ("", "Mbarara", -0.6072, 30.6545), ("", "Mubende", 0.5579, 31.3949))),
    ("AGO", "Angola", (("", "Huambo", -12.7761, 15.7392), ("", "Malanje", -9.5402, 16.3410))),
    ("ROU", "Romania", (("", "București", 44.4268, 26.1025), ("", "Cluj-Napoca", 46.7712, 23.6236), ("", "Brașov", 45.6427, 25.5887))),
    ("HUN", "Hungary", (("", "Budapest", 47.4979, 19.0402), ("", "Kecskemét", 46.8964, 19.6897))),
    ("CZE", "Czechia", (("", "Praha", 50.0755, 14.4378), ("", "Brno", 49.1951, 16.6068))),
    ("SRB", "Serbia", (("", "Beograd", 44.7866, 20.4489), ("", "Kragujevac", 44.0128, 20.9114))),
    ("SWE", "Sweden", (("", "Örebro", 59.2753, 15.2134), ("", "Borlänge", 60.4858, 15.4371))),
    ("FIN", "Finland", (("", "Tampere", 61.4978, 23.7610), ("", "Jyväskylä", 62.2426, 25.7473))),
    ("BLR", "Belarus", (("", "Мінск", 53.9006, 27.5590), ("", "Бабруйск", 53.1384, 29.2214))),
    ("DZA", "Algeria", (("", "Ghardaïa", 32.4909, 3.6735), ("", "Djelfa", 34.6704, 3.2630), ("", "Batna", 35.5550, 6.1741))),
    ("MAR", "Morocco", (("", "Fès", 34.0181, -5.0078), ("", "Marrakech", 31.6295, -7.9811))),
    ("TUN", "Tunisia", (("", "Kairouan", 35.6781, 10.0963), ("", "Kasserine", 35.1676, 8.8365))),
    ("NPL", "Nepal", (("", "काठमाडौं", 27.7172, 85.3240),)),
    ("GHA", "Ghana", (("", "Kumasi", 6.6885, -1.6244), ("", "Tamale", 9.4008, -0.8393))),
    ("CIV", "Côte d'Ivoire", (("", "Yamoussoukro", 6.8276, -5.2893), ("", "Bouaké", 7.6906, -5.0302))),
    ("AUT", "Austria", (("", "Wien", 48.2082, 16.3738), ("", "Graz", 47.0707, 15.4395))),
)  # fmt: skip

JITTER_DEG = 0.05

STATUSES = ("occurred", "ongoing", "planned")
EVENT_TYPES = (
    "agreement",
    "announcement",
    "deployment",
    "withdrawal",
    "attack",
    "armed_clash",
    "protest",
    "other",
)
ACTORS = (
    "Armed forces",
    "Police",
    "Islamic State",
    "Opposition coalition",
    "Local militia",
    "UN peacekeepers",
    "Protesters",
    "Civilians",
    "Trade unions",
    "Student groups",
    "Unidentified gunmen",
    "Rebel forces",
    "Ministry of Defence",
    "Вооружённые силы",
    "Forces armées",
    "القوات الحكومية",
    "Fuerzas de seguridad",
    "Müttefik kuvvetler",
)
SOURCES = (
    ("Reuters", "www.reuters.com"),
    ("Associated Press", "apnews.com"),
    ("BBC News", "www.bbc.co.uk"),
    ("Al Jazeera", "www.aljazeera.com"),
    ("Agence France-Presse", "www.afp.com"),
    ("Le Monde", "www.lemonde.fr"),
    ("Deutsche Welle", "www.dw.com"),
    ("El País", "elpais.com"),
    ("The Hindu", "www.thehindu.com"),
    ("Asahi Shimbun", "www.asahi.com"),
    ("Коммерсантъ", "www.kommersant.ru"),
    ("Anadolu Ajansı", "www.aa.com.tr"),
)
NOTES = (
    "Reported by several outlets; figures from local officials.",
    'Officials described the situation as "under control".',
    "Casualty figures vary between sources, the lower one is used.",
    "Talks continue; a follow-up meeting is expected next month.",
    "Witnesses reported heavy gunfire near the city centre.",
    "Les autorités ont confirmé l'incident, sans donner de bilan.",
    "Число пострадавших уточняется.",
    "تم الإبلاغ عن الحادث من قبل مصادر محلية.",
    "Fuentes locales, cifras preliminares.",
    "Ministry statement, 3 pages; see annex B.",
)
MULTILINE_NOTES = (
    "First report said 12 dead.\nLater revised after hospital records were released.",
    'Statement in full:\n"We will withdraw by the end of the year."\nNo date was given.',
    "Sequence of events:\n- morning: clashes\n- evening: ceasefire, 2,500 displaced",
)
BAD_DATES = ("2024-02-30", "2023-02-29", "2025-04-31", "2024-13-01", "2022-06-31")
BAD_COUNTRIES = ("XYZ", "IRK", "GER", "SYRIA", "UK")
STATUS_TYPOS = ("occured", "ocurred", "plannned", "on-going")
TYPE_TYPOS = ("atack", "armed clash", "protset", "withdrawl")

# date forms and their shares (per status below)
DATE_FORMS = (
    "day",
    "month",
    "year",
    "day_interval",
    "month_interval",
    "by",
    "from",
    "day_q",
    "month_q",
    "year_q",
)
_FORM_P = {
    "occurred": (0.50, 0.14, 0.06, 0.12, 0.04, 0.02, 0.02, 0.05, 0.03, 0.02),
    "ongoing": (0.10, 0.15, 0.15, 0.10, 0.10, 0.00, 0.30, 0.02, 0.04, 0.04),
    "planned": (0.30, 0.20, 0.10, 0.05, 0.05, 0.25, 0.00, 0.02, 0.02, 0.01),
}


def _epoch_days(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def _pick(rng: np.random.Generator, pool: tuple[str, ...], n: int) -> pl.Series:
    return pl.Series(pool, dtype=pl.String).gather(rng.integers(0, len(pool), n))


def _by_case(frame: pl.DataFrame, case: np.ndarray, exprs: list[pl.Expr]) -> pl.Series:
    """Per row, the value of exprs[case[row]] -- each expression runs only on its own rows
    (a `when/then` chain would compute every branch for every row)."""
    order = np.argsort(case, kind="stable")
    bounds = np.searchsorted(case[order], np.arange(len(exprs) + 1))
    ordered = frame[order]
    parts = [
        ordered.slice(int(a), int(b - a)).with_columns(v=expr.cast(pl.String))["v"]
        for expr, a, b in zip(exprs, bounds[:-1], bounds[1:], strict=True)
    ]
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return pl.concat(parts).gather(inverse)


def _count_column(rng: np.random.Generator, n: int, empty_share: float, scale: float) -> pl.Series:
    """Fuzzy counts in every form: 143, ~2500, 143+, <=50, 100-999, 2,500, ~2,500."""
    best = np.floor(rng.lognormal(np.log(scale), 1.3, n)).astype(np.int64)
    high = best + 1 + np.floor(best * rng.uniform(0.1, 3.0, n)).astype(np.int64)
    form = rng.choice(7, n, p=(0.45, 0.15, 0.12, 0.08, 0.12, 0.05, 0.03))
    form[rng.random(n) < empty_share] = 7  # empty
    df = pl.DataFrame({"b": best, "h": high})
    b, h = pl.col("b").cast(pl.String), pl.col("h").cast(pl.String)
    # thousands separator: "2,500" (only for >= 1000)
    b_sep = (
        pl.when(pl.col("b") >= 1000)
        .then(pl.concat_str([(pl.col("b") // 1000).cast(pl.String), pl.lit(","), (pl.col("b") % 1000).cast(pl.String).str.zfill(3)]))
        .otherwise(b)
    )  # fmt: skip
    return _by_case(
        df,
        form,
        [
            b,
            pl.concat_str([pl.lit("~"), b]),
            pl.concat_str([b, pl.lit("+")]),
            pl.concat_str([pl.lit("<="), h]),
            pl.concat_str([b, pl.lit("-"), h]),
            b_sep,
            pl.concat_str([pl.lit("~"), b_sep]),
            pl.lit(None, dtype=pl.String),
        ],
    )


def generate(
    n: int, seed: int = 1, error_rate: float = 0.0, pathological: bool = False
) -> tuple[pl.DataFrame, dict[str, int]]:
    """The table (all columns text, nulls for empty cells) and the planted counts per kind."""
    rng = np.random.default_rng(seed)
    idx = np.arange(n, dtype=np.int64)

    # --- where: a country, then one of its cities, then jitter
    codes = [c for c, _, _ in PLACES]
    city_rows = [(ci, *city) for ci, (_, _, cities) in enumerate(PLACES) for city in cities]
    city_country = np.array([r[0] for r in city_rows])
    offsets = np.searchsorted(city_country, np.arange(len(PLACES)))
    per_country = np.bincount(city_country, minlength=len(PLACES))
    country_i = rng.integers(0, len(PLACES), n)
    city_i = offsets[country_i] + (rng.random(n) * per_country[country_i]).astype(np.int64)
    city_lat = np.array([r[3] for r in city_rows])[city_i]
    city_lon = np.array([r[4] for r in city_rows])[city_i]
    lat = np.round(city_lat + rng.uniform(-JITTER_DEG, JITTER_DEG, n), 4)
    lon = np.round(city_lon + rng.uniform(-JITTER_DEG, JITTER_DEG, n), 4)
    precision = rng.choice(4, n, p=(0.30, 0.45, 0.10, 0.15))  # point locality admin1 country
    no_coords = precision == 3

    # --- when: status, event start, source date
    status_i = rng.choice(3, n, p=(0.72, 0.14, 0.14))
    lo, hi = _epoch_days(EVENT_DATE_MIN), _epoch_days(SOURCE_DATE_MAX)
    start = rng.integers(lo, hi - 90, n)
    lag = rng.integers(0, 60, n)  # source published 0-59 days after the (start of the) event
    lead = rng.integers(1, 730, n)  # planned events: announced up to two years ahead
    planned = status_i == 2
    source_day = np.where(planned, np.minimum(start, hi - 1), start + lag)
    start = np.where(planned, source_day + lead, start)
    span = rng.integers(1, 20, n)
    form_i = np.empty(n, dtype=np.int64)
    for s, name in enumerate(STATUSES):
        mask = status_i == s
        form_i[mask] = rng.choice(len(DATE_FORMS), int(mask.sum()), p=_FORM_P[name])
    qual_i = rng.integers(0, 3, n)

    frame = pl.DataFrame(
        {
            "i": idx,
            "ci": country_i,
            "cy": city_i,
            "start": pl.Series(start.astype("int32")).cast(pl.Date),
            "src": pl.Series(source_day.astype("int32")).cast(pl.Date),
            "span": span,
            "form": form_i,
            "qual": qual_i,
        }
    )
    day = pl.col("start").dt.strftime("%Y-%m-%d")
    month, year = day.str.slice(0, 7), day.str.slice(0, 4)
    end_day = (pl.col("start") + pl.duration(days=pl.col("span"))).dt.strftime("%Y-%m-%d")
    # month intervals: the start month to a month 1-19 months later
    end_month = pl.col("start").dt.offset_by(pl.format("{}mo", pl.col("span"))).dt.strftime("%Y-%m")
    q = pl.col("qual").replace_strict([0, 1, 2], ["~", "?", "%"], return_dtype=pl.String)
    date_text = _by_case(
        frame,
        form_i,
        [
            day,
            month,
            year,
            pl.concat_str([day, pl.lit("/"), end_day]),
            pl.concat_str([month, pl.lit("/"), end_month]),
            pl.concat_str([pl.lit("../"), month]),
            pl.concat_str([month, pl.lit("/..")]),
            pl.concat_str([day, q]),
            pl.concat_str([month, q]),
            pl.concat_str([year, q]),
        ],
    )

    city_admin = pl.Series([r[1] for r in city_rows], dtype=pl.String)
    city_name = pl.Series([r[2] for r in city_rows], dtype=pl.String)
    country_code = pl.Series(codes, dtype=pl.String).gather(country_i)
    country_name = pl.Series([name for _, name, _ in PLACES], dtype=pl.String).gather(country_i)
    admin = city_admin.gather(city_i)
    # admin1 filled for 80% of rows whose city has a known subdivision
    admin = pl.select(
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.8)) & (pl.lit(admin) != ""))
        .then(pl.lit(admin))
        .otherwise(None)
    ).to_series()
    location = pl.select(
        pl.when(pl.lit(pl.Series(no_coords))).then(None).otherwise(pl.lit(city_name.gather(city_i)))
    ).to_series()

    gov = pl.select(pl.concat_str([pl.lit("Government of "), pl.lit(country_name)])).to_series()
    actor_pool = _pick(rng, ACTORS, n)
    actor1 = pl.select(
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.35))).then(pl.lit(gov)).otherwise(pl.lit(actor_pool))
    ).to_series()  # fmt: skip
    actor2 = _pick(rng, ACTORS, n)
    actor2 = pl.select(
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.45))).then(None).otherwise(pl.lit(actor2))
    ).to_series()

    src_i = rng.integers(0, len(SOURCES), n)
    source = pl.Series([s_ for s_, _ in SOURCES], dtype=pl.String).gather(src_i)
    domain = pl.Series([d for _, d in SOURCES], dtype=pl.String).gather(src_i)

    note_kind = rng.random(n)
    notes = _pick(rng, NOTES, n)
    multi = _pick(rng, MULTILINE_NOTES, n)

    event_type = _pick(rng, EVENT_TYPES, n)
    status = pl.Series(STATUSES, dtype=pl.String).gather(status_i)
    geo_precision = pl.Series(["point", "locality", "admin1", "country"]).gather(precision)

    df = frame.select(
        event_id=pl.concat_str([pl.lit(country_code).str.to_lowercase(), pl.lit("-"), pl.col("i").cast(pl.String).str.zfill(7)]),
        date=pl.lit(date_text),
        status=pl.lit(status),
        event_type=pl.lit(event_type),
        actor1=pl.lit(actor1),
        actor2=pl.lit(actor2),
        country=pl.lit(country_code),
        admin1=pl.lit(admin),
        location=pl.lit(location),
        latitude=pl.when(pl.lit(pl.Series(no_coords))).then(None).otherwise(pl.lit(pl.Series(lat))),
        longitude=pl.when(pl.lit(pl.Series(no_coords))).then(None).otherwise(pl.lit(pl.Series(lon))),
        geo_precision=pl.lit(geo_precision),
        fatalities=pl.lit(_count_column(rng, n, 0.5, 8)),
        injured=pl.lit(_count_column(rng, n, 0.6, 20)),
        personnel=pl.lit(_count_column(rng, n, 0.85, 400)),
        source=pl.lit(source),
        source_url=pl.when(pl.lit(pl.Series(rng.random(n) < 0.002))).then(None).otherwise(
            pl.format("https://{}/world/{}/{}-{}", pl.lit(domain), pl.col("src").dt.strftime("%Y/%m/%d"), pl.lit(event_type), pl.col("i"))
        ),
        source_date=pl.col("src").dt.strftime("%Y-%m-%d"),
        notes=pl.when(pl.lit(pl.Series(note_kind < 0.005))).then(pl.lit(multi))
        .when(pl.lit(pl.Series(note_kind < 0.45))).then(pl.lit(notes))
        .otherwise(None),
    ).with_columns(
        pl.col("latitude").cast(pl.String), pl.col("longitude").cast(pl.String)
    )  # fmt: skip

    planted = dict.fromkeys(ERROR_KINDS, 0)
    if pathological:
        # every row: one of the first three kinds and one of the last three
        kind_a = rng.integers(0, 3, n)
        kind_b = rng.integers(3, 6, n)
        df = _plant(df, rng, idx, kind_a, city_lon)
        df = _plant(df, rng, idx, kind_b, city_lon)
        for k in range(6):
            planted[ERROR_KINDS[k]] = int((kind_a == k).sum() + (kind_b == k).sum())
    elif error_rate > 0:
        n_err = min(n, max(1, round(error_rate * n)))
        rows = np.sort(rng.choice(n, n_err, replace=False))
        kinds = rng.permutation(np.arange(n_err) % len(ERROR_KINDS))
        df = _plant(df, rng, rows, kinds, city_lon)
        for k in range(6):
            planted[ERROR_KINDS[k]] = int((kinds == k).sum())
    return df.select(COLUMNS), planted


def _plant(
    df: pl.DataFrame,
    rng: np.random.Generator,
    rows: np.ndarray,
    kinds: np.ndarray,
    city_lon: np.ndarray,
) -> pl.DataFrame:
    """Break rows[j] with error kind kinds[j] (one kind per listed row), vectorised."""
    n = df.height
    cols = {c: df[c].clone() for c in ("event_id", "date", "status", "event_type", "country", "admin1", "latitude", "longitude", "fatalities")}  # fmt: skip

    def put(column: str, at: np.ndarray, values: pl.Series | list | None) -> None:
        if len(at) == 0:
            return
        if values is None:
            values = pl.Series([None] * len(at), dtype=pl.String)
        cols[column] = cols[column].scatter(at, pl.Series(values, dtype=pl.String))

    def take(pool: tuple[str, ...], size: int) -> pl.Series:
        return pl.Series(pool, dtype=pl.String).gather(rng.integers(0, len(pool), size))

    def text(values: np.ndarray) -> pl.Series:
        return pl.Series(values).cast(pl.String)

    sel = rows[kinds == 0]
    put("date", sel, take(BAD_DATES, len(sel)))
    sel = rows[kinds == 1]
    low = rng.integers(1, 100, len(sel))
    high = low + rng.integers(1, 900, len(sel))
    put("fatalities", sel, text(high) + "-" + text(low))
    sel = rows[kinds == 2]
    put("country", sel, take(BAD_COUNTRIES, len(sel)))
    put("admin1", sel, None)
    sel = rows[kinds == 3]
    on_status = rng.random(len(sel)) < 0.5
    put("status", sel[on_status], take(STATUS_TYPOS, int(on_status.sum())))
    put("event_type", sel[~on_status], take(TYPE_TYPOS, int((~on_status).sum())))
    sel = rows[kinds == 4]
    sign = np.where(rng.random(len(sel)) < 0.5, -1.0, 1.0)
    put("latitude", sel, text(np.round(sign * rng.uniform(90.5, 99.5, len(sel)), 4)))
    if len(sel):  # a lone latitude would also break coordinates.pair: give it a longitude
        missing = sel[cols["longitude"].gather(sel).is_null().to_numpy()]
        put("longitude", missing, text(np.round(city_lon[missing], 4)))
    sel = rows[kinds == 5]
    if len(sel):
        if len(rows) >= n:  # every row is broken: pair the duplicates among themselves
            pair = sel[np.arange(len(sel)) // 2 * 2]
            if len(pair) % 2 and len(pair) > 1:
                pair[-1] = pair[-2]
            put("event_id", sel, "dup-" + text(pair))
        else:  # copy the id of a row that has no planted error
            clean_mask = np.ones(n, dtype=bool)
            clean_mask[rows] = False
            clean = np.flatnonzero(clean_mask)
            put("event_id", sel, cols["event_id"].gather(rng.choice(clean, len(sel))))
    return df.with_columns(v.alias(c) for c, v in cols.items())


def change(
    df: pl.DataFrame, clean: pl.DataFrame, seed: int, rate: float
) -> tuple[pl.DataFrame, dict[str, int]]:
    """A later version of `df`: round(rate*N) rows touched, in equal shares of CHANGE_KINDS.

    `clean` is the same table without planted errors: its values fix the rows picked as
    "fixed" (chosen among the rows with a planted error); the other kinds touch intact rows.
    """
    n = df.height
    rng = np.random.default_rng([seed, 13])
    m = min(n, max(len(CHANGE_KINDS), round(rate * n)))
    share = np.bincount(np.arange(m) % len(CHANGE_KINDS), minlength=len(CHANGE_KINDS))
    broken_mask = (
        pl.select(pl.any_horizontal(~pl.lit(df[c]).eq_missing(pl.lit(clean[c])) for c in COLUMNS))
        .to_series()
        .to_numpy()
    )
    broken, intact = np.flatnonzero(broken_mask), np.flatnonzero(~broken_mask)
    share[5] = min(share[5], len(broken) // 2)  # half the planted errors stay
    share[:5] = np.minimum(share[:5], len(intact) // 5)
    picked = rng.choice(intact, int(share[:5].sum()), replace=False)
    changed, reformatted, removed, added, error = np.split(picked, np.cumsum(share[:4]))
    fixed = rng.choice(broken, int(share[5]), replace=False)

    cols = {c: df[c].clone() for c in COLUMNS}

    def put(column: str, at: np.ndarray, values: pl.Series) -> None:
        if len(at):
            cols[column] = cols[column].scatter(at, values.cast(pl.String))

    put("fatalities", changed, pl.Series(rng.integers(0, 500, len(changed))))
    put("notes", changed, pl.Series(["Revised after a second report."] * len(changed)))
    latitude = df["latitude"].gather(reformatted)
    has_latitude = latitude.is_not_null().to_numpy()
    put("latitude", reformatted[has_latitude], latitude.filter(latitude.is_not_null()) + "0")
    put("date", error, pl.Series(["2024-02-30"] * len(error)))
    for c in COLUMNS:
        put(c, fixed, clean[c].gather(fixed))
    later = pl.DataFrame(cols).select(COLUMNS)
    copies = later[added].with_columns(
        event_id=pl.format("new-{}", pl.Series(np.arange(len(added))).cast(pl.String).str.zfill(7))
    )
    keep = np.ones(n, dtype=bool)
    keep[removed] = False
    later = pl.concat([later.filter(pl.Series(keep)), copies])
    counts = {
        "changed": len(changed),
        "reformatted": int(has_latitude.sum()),
        "removed": len(removed),
        "added": len(added),
        "error": len(error),
        "fixed": len(fixed),
    }
    return later, counts


def write(df: pl.DataFrame, out: Path, meta: dict) -> None:
    """Write the CSV and its sidecar atomically (a partial file is never left under OUT)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    df.write_csv(tmp, line_terminator="\n")
    os.replace(tmp, out)
    meta_path = meta_path_for(out)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def meta_path_for(out: Path) -> Path:
    return out.with_name(out.name + ".meta.json")


def params(
    n: int, seed: int, error_rate: float, pathological: bool, change_rate: float = 0.0
) -> dict:
    out = {
        "generator_version": GENERATOR_VERSION,
        "rows": n,
        "seed": seed,
        "error_rate": 0.0 if pathological else error_rate,
        "pathological": pathological,
    }
    if change_rate:
        out["change_rate"] = change_rate
    return out


def ensure(
    out: Path, n: int, seed: int, error_rate: float, pathological: bool, change_rate: float = 0.0
) -> bool:
    """Generate OUT unless it exists with the same parameters. True when it was (re)generated."""
    wanted = params(n, seed, error_rate, pathological, change_rate)
    meta_path = meta_path_for(out)
    if out.exists() and meta_path.exists():
        with meta_path.open(encoding="utf-8") as fh:
            have = json.load(fh)
        if have.get("params") == wanted:
            return False
    t0 = time.perf_counter()
    df, planted = generate(n, seed, error_rate, pathological)
    meta: dict = {"params": wanted, "planted": planted}
    if change_rate:
        df, meta["changes"] = change(df, generate(n, seed)[0], seed, change_rate)
    write(df, out, {**meta, "seconds": 0.0})
    meta["seconds"] = round(time.perf_counter() - t0, 3)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", type=int, help="number of data rows")
    parser.add_argument("out", type=Path, help="output CSV path")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--error-rate", type=float, default=0.0, help="share of rows with one planted error"
    )
    parser.add_argument("--pathological", action="store_true", help="every row breaks two rules")
    parser.add_argument(
        "--change-rate",
        type=float,
        default=0.0,
        help="write a later version: this share of rows changed, retyped, removed, added, "
        "broken or fixed (the NEW side of a diff)",
    )
    parser.add_argument(
        "--force", action="store_true", help="regenerate even if OUT has the same parameters"
    )
    args = parser.parse_args(argv)
    if args.rows < 1 or not 0.0 <= args.error_rate <= 1.0 or not 0.0 <= args.change_rate <= 1.0:
        parser.error("rows must be >= 1 and --error-rate and --change-rate within [0, 1]")
    if date.today() < SOURCE_DATE_MAX:
        print(f"warning: today is before {SOURCE_DATE_MAX}; source dates may be in the future",
              file=sys.stderr)  # fmt: skip
    if args.force:
        meta_path_for(args.out).unlink(missing_ok=True)
    made = ensure(
        args.out, args.rows, args.seed, args.error_rate, args.pathological, args.change_rate
    )
    with meta_path_for(args.out).open(encoding="utf-8") as fh:
        meta = json.load(fh)
    what = "wrote" if made else "kept (same parameters)"
    planted = ", ".join(f"{k} {v}" for k, v in meta["planted"].items() if v) or "none"
    changes = ", ".join(f"{k} {v}" for k, v in meta.get("changes", {}).items())
    print(
        f"{what} {args.out}: {args.rows} rows in {meta['seconds']} s; planted errors: {planted}"
        + (f"; changes: {changes}" if changes else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
