"""Build `country-spellings.tsv`: real spellings of country names, held out from the matcher.

The matcher (`toolkit.places.codes`) reads pycountry and country_converter. This list comes from
elsewhere, so the hint test measures something the matcher was not built from:
- CLDR's English names, as shipped in babel (`Congo - Kinshasa`, `Myanmar (Burma)`);
- the English alternative spellings of REST Countries, as shipped in countryinfo
  (`Democratic Republic of the Congo`, `DR Congo`, `Holland`), native-language ones left out;
- the World Bank's country names (WDI), written out below (`Congo, Dem. Rep.`, `Lao PDR`);
- former names and abbreviations in English news usage, written out below.

    pip install babel countryinfo   # only to rebuild; neither is a dependency
    python tests/data/build_country_spellings.py > tests/data/country-spellings.tsv
"""

from __future__ import annotations

import glob
import importlib.util
import json
import re
from pathlib import Path

import babel
import pycountry
from babel import Locale

WORLD_BANK = """
Bahamas, The|BHS;Brunei Darussalam|BRN;Cabo Verde|CPV;Congo, Dem. Rep.|COD;Congo, Rep.|COG;
Cote d'Ivoire|CIV;Curacao|CUW;Czechia|CZE;Egypt, Arab Rep.|EGY;Gambia, The|GMB;
Hong Kong SAR, China|HKG;Iran, Islamic Rep.|IRN;Korea, Dem. People's Rep.|PRK;Korea, Rep.|KOR;
Kyrgyz Republic|KGZ;Lao PDR|LAO;Macao SAR, China|MAC;Micronesia, Fed. Sts.|FSM;
Russian Federation|RUS;Sao Tome and Principe|STP;Slovak Republic|SVK;St. Kitts and Nevis|KNA;
St. Lucia|LCA;St. Martin (French part)|MAF;St. Vincent and the Grenadines|VCT;
Sint Maarten (Dutch part)|SXM;Syrian Arab Republic|SYR;Turkiye|TUR;Venezuela, RB|VEN;
Viet Nam|VNM;Virgin Islands (U.S.)|VIR;British Virgin Islands|VGB;West Bank and Gaza|PSE;
Yemen, Rep.|YEM;Eswatini|SWZ;Timor-Leste|TLS;North Macedonia|MKD;Kosovo|XKX;
Turks and Caicos Islands|TCA;Isle of Man|IMN;Faroe Islands|FRO;Northern Mariana Islands|MNP
"""

FORMER = """
Burma|MMR;Zaire|COD;Ceylon|LKA;Siam|THA;Persia|IRN;Dahomey|BEN;Upper Volta|BFA;Kampuchea|KHM;
Swaziland|SWZ;East Timor|TLS;Macedonia|MKD;Republic of Macedonia|MKD;Rhodesia|ZWE;
Bechuanaland|BWA;Basutoland|LSO;Nyasaland|MWI;Gold Coast|GHA;Abyssinia|ETH;Formosa|TWN;
Byelorussia|BLR;Western Samoa|WSM;New Hebrides|VUT;British Honduras|BLZ;Dutch Guiana|SUR;
Northern Rhodesia|ZMB;East Pakistan|BGD;Malagasy Republic|MDG;Turkey|TUR;Czech Republic|CZE;
Ivory Coast|CIV;Cape Verde|CPV
"""

ABBREVIATIONS = """
UK|GBR;U.K.|GBR;US|USA;U.S.|USA;U.S.A.|USA;UAE|ARE;DRC|COD;DR Congo|COD;CAR|CAF;PRC|CHN;
ROK|KOR;DPRK|PRK;ROC|TWN;RSA|ZAF;PNG|PNG;BiH|BIH;KSA|SAU;NZ|NZL;FYROM|MKD;S. Korea|KOR;
N. Korea|PRK;S. Africa|ZAF;St Lucia|LCA;St Kitts and Nevis|KNA;Bosnia|BIH;Britain|GBR;
Great Britain|GBR;America|USA;Holland|NLD;Vatican|VAT;Holy See|VAT;Brunei|BRN;Macau|MAC;
Congo-Kinshasa|COD;Congo-Brazzaville|COG;Lao PDR|LAO
"""

# REST Countries' spellings in English: a formal name ("Republic of ...", "... Islands") or one
# of these short forms; the rest of its list is in the countries' own languages.
_ENGLISH = re.compile(
    r"\b(Republic|Kingdom|State|States|Federation|Federal|Commonwealth|Islands?|Democratic|Union|"
    r"Principality|Sultanate|Emirates|Territory|Department|United|Duchy|Bailiwick|Confederation|"
    r"Independent|Socialist|Islamic|Arab|People's|Nation|Special Administrative)\b"
)
_NOT_ENGLISH = {"Island", "Union des Comores"}  # Icelandic and French, caught by the pattern
_SHORT = {
    "DR Congo",
    "Congo-Kinshasa",
    "DRC",
    "Congo-Brazzaville",
    "Ivory Coast",
    "East Timor",
    "Holland",
    "The Netherlands",
    "Great Britain",
    "UK",
    "UAE",
    "RSA",
    "Holy See",
    "Bosnia-Herzegovina",
    "Swaziland",
    "Turkiye",
    "Viet Nam",
    "Czech Republic",
    "Czechia",
    "Rumania",
    "Roumania",
    "Reunion",
    "Cabo Verde",
    "Brunei Darussalam",
    "Keeling Islands",
    "Gambia",
    "Bahamas",
    "Palestine",
    "Pitcairn",
    "Eswatini",
    "Timor-Leste",
    "North Macedonia",
    "Sao Tome and Principe",
}


def rows():
    current = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries} | {"XK": "XKX"}
    en = Locale("en").territories
    for a2, a3 in sorted(to3.items()):
        if a2 in en:
            yield en[a2], a3, f"CLDR (babel {babel.__version__})"
    spec = importlib.util.find_spec("countryinfo")
    folder = Path(spec.origin).parent / "data"
    for path in sorted(glob.glob(str(folder / "*.json"))):
        record = json.loads(Path(path).read_text("utf-8"))
        a3 = record["ISO"].get("alpha3")
        if a3 not in current:
            continue
        for spelling in [record["name"], *record.get("altSpellings", [])]:
            spelling = spelling.strip()
            if spelling in _NOT_ENGLISH:
                continue
            if spelling and (_ENGLISH.search(spelling) or spelling in _SHORT):
                yield spelling, a3, "REST Countries (countryinfo)"
    for block, source in (
        (WORLD_BANK, "World Bank WDI"),
        (FORMER, "former name"),
        (ABBREVIATIONS, "abbreviation or short form"),
    ):
        for item in block.replace("\n", "").split(";"):
            if item:
                spelling, a3 = item.rsplit("|", 1)
                yield spelling, a3, source


def main() -> None:
    seen = set()
    print("spelling\tcode\tsource")
    for spelling, a3, source in rows():
        if spelling not in seen:
            seen.add(spelling)
            print(f"{spelling}\t{a3}\t{source}")


if __name__ == "__main__":
    main()
