#!/usr/bin/env python3
"""Writes the invented demo data set (data.json, accounts.tsv) for bezala-sim.

Deterministic: the same script always writes the same bytes. Every company,
person, email and amount here is invented. Run from any directory:

    python3 assets/demo/make-data.py
"""

import calendar
import json
import os
import random
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20250314
DOMAIN = "demo.bezala.test"

# id, name, locale, currency, employees_see_all_users, receipt count
COMPANIES = [
    (101, "Tilitoimisto Härkönen Oy", "fi", "EUR", False, 40),
    (205, "Kahvila Äimä Oy", "fi", "EUR", True, 48),
    (318, "Pohjolan Sähkö ja Lämpö Oy", "fi", "EUR", False, 200),
    (427, "Åland Rederi Ab", "sv", "EUR", False, 46),
    (539, "東京デザイン株式会社", "en", "JPY", False, 28),
]

# id, name, email local part, password, active company
USERS = [
    (4701, "Aino Härkönen", "aino.harkonen", "demo-aino-2025", 101),
    (4702, "Mikko Lehtinen", "mikko.lehtinen", "demo-mikko-2025", 101),
    (4703, "Sanna Äimälä", "sanna.aimala", "demo-sanna-2025", 205),
    (4704, "Jussi Öhman", "jussi.ohman", "demo-jussi-2025", 205),
    (4705, "Eveliina Kärkkäinen", "eveliina.karkkainen",
     "demo-eveliina-2025", 205),
    (4706, "Pekka Väisänen", "pekka.vaisanen", "demo-pekka-2025", 318),
    (4707, "Riikka Söderström", "riikka.soderstrom", "demo-riikka-2025",
     318),
    (4708, "Tapio Mäkelä", "tapio.makela", "demo-tapio-2025", 318),
    (4709, "Johan Eriksson", "johan.eriksson", "demo-johan-2025", 427),
    (4710, "Maja Sjöberg", "maja.sjoberg", "demo-maja-2025", 427),
    # The name is spelled with a combining acute accent on purpose.
    (4711, "Linne\u0301a Åkerlund", "linnea.akerlund", "demo-linnea-2025",
     427),
    (4712, "佐藤 遥", "haruka.sato", "demo-haruka-2025", 539),
    (4713, "高橋 蓮", "ren.takahashi", "demo-ren-2025", 539),
    (4714, "山本 結衣", "yui.yamamoto", "demo-yui-2025", 318),
    (4715, "Oskari Heikkilä", "oskari.heikkila", "demo-oskari-2025", 318),
]

E = ["employee"]
M = ["employee", "manager"]
A = ["employee", "manager", "accountant"]

# user, company, state, roles, company name published
MEMBERSHIPS = [
    (4701, 101, "accepted", A, True),
    (4701, 205, "accepted", A, True),
    (4701, 318, "accepted", A, True),
    # The one membership whose company name the server does not publish.
    (4701, 539, "accepted", E, False),
    (4702, 101, "accepted", E, True),
    (4702, 427, "accepted", A, True),
    (4703, 205, "accepted", M + ["approver"], True),
    (4704, 205, "accepted", E, True),
    (4705, 205, "accepted", E, True),
    (4705, 318, "pending", E, True),
    (4706, 318, "accepted", M + ["approver"], True),
    (4707, 318, "accepted", E + ["approver"], True),
    (4708, 318, "accepted", E + ["money_checker"], True),
    (4709, 427, "accepted", M + ["approver"], True),
    (4710, 427, "accepted", E, True),
    (4711, 427, "accepted", E, True),
    (4711, 318, "accepted", E, True),
    (4712, 539, "accepted", M + ["approver"], True),
    (4713, 539, "accepted", E, True),
    (4714, 539, "accepted", E, True),
    (4714, 318, "accepted", E, True),
    (4715, 318, "accepted", E, True),
]

DESCRIPTIONS = {
    "fi": [
        "Taksi lentokentälle",
        "Hotelliyö, Oulu",
        "Junalippu Helsinki–Tampere",
        "Asiakaslounas, Ravintola Mäntylä",
        "Työkalut: sähkömittari",
        "Pysäköinti, Kämp",
        "Toimistotarvikkeet",
        "Kahvitarjoilu palaveriin",
        "Polttoaine, Neste Jyväskylä",
        "Koulutus: sähköturvallisuus",
        "Lehtitilaus: Tekniikka & Talous",
        "Näyttökaapeli ja sovitin",
        "Cafe\u0301 Ekberg, aamupala",
        "Lautta Turku–Ahvenanmaa",
        "Työvaatteet, kypärä ja käsineet",
        "Postimaksut",
        "Äänikirjapalvelu",
        "Hissiasennuksen varaosat",
        "Puhelinlasku, kesäkuu",
        "Saunavuoro, tiimi",
    ],
    "sv": [
        "Färja Mariehamn–Stockholm",
        "Hamnavgift, Mariehamn",
        "Lunch med kund, Smörgåsbordet",
        "Bränsle, fartyg Ålänningen",
        "Hotell i Åbo",
        "Tågbiljett Åbo–Helsingfors",
        "Kontorsmaterial",
        "Säkerhetsutbildning ombord",
        "Taxi till hamnen",
        "Reservdelar, motor",
        "Fika för besättningen",
        "Sjökort och böcker",
        "Re\u0301sume\u0301 av mötet, tryckkostnad",
    ],
    "ja": [
        "タクシー代（渋谷→新宿）",
        "打ち合わせ用コーヒー",
        "新幹線 東京–大阪",
        "デザイン書籍",
        "ホテル宿泊費（京都）",
        "文房具",
        "クライアントとの昼食",
        "印刷費：ポスター",
        "フォント ライセンス",
        "会議室 レンタル",
        "Café de Flore 打ち合わせ",
        "ソフトウェア購読料",
    ],
}

STATES = ["draft", "reviewing", "unapproved", "queue", "accounted"]
STATE_WEIGHTS = [12, 22, 8, 18, 40]


def email(local):
    return "%s@%s" % (local, DOMAIN)


# The company that enforces single sign-on, added after the others. Its
# records come from their own seed and follow every older record, so that
# no older id, value or random draw changes.
SSO_SEED = SEED + 642
SSO_COMPANY = {
    "id": 642,
    "name": "Revontuli Analytics Oy",
    "locale": "fi",
    "currency": "EUR",
    "receipts": 24,
    "sso_domain": "revontuli." + DOMAIN,
    "okta_url": "https://revontuli.okta." + DOMAIN,
}

# id, name, email, password (None: SSO only), extra fields, roles
SSO_USERS = [
    (4716, "Kaisa Rautio", "kaisa.rautio@revontuli." + DOMAIN, None,
     {"sso": {"google": "demo-google-kaisa",
              "microsoft": "demo-microsoft-kaisa",
              "okta": "demo-okta-kaisa"}},
     ["employee", "manager"]),
    # Exempt from SSO: the company's break-glass administrator.
    (4717, "Ilmari Nieminen", "ilmari.nieminen@revontuli." + DOMAIN,
     "demo-ilmari-2025", {"sso_exempt": True},
     ["employee", "manager", "accountant"]),
    # A service user for integrations: outside the SSO domain.
    (4718, "Revontuli Integration", "integration@service." + DOMAIN,
     "demo-integration-2025", {"service_user": True}, ["accountant"]),
]


def iso(rng, year, month, day):
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        year, month, day, rng.randrange(7, 19), rng.randrange(60),
        rng.randrange(60), rng.randrange(1000))


def company_objects():
    out = []
    for cid, name, locale, _cur, see_all, _n in COMPANIES:
        out.append({
            "id": cid,
            "name": name,
            "business_id": "%07d-%d" % (cid * 9173 % 10000000, cid % 10),
            "locale": locale,
            "schedule": "weekly",
            "employees_see_all_users": see_all,
            "password_auth_disabled": False,
            "show_trip_form": True,
            "show_daily_allowance_form": cid != 539,
            "created_at": "2023-0%d-1%dT08:00:00.000Z" % (cid % 9 + 1,
                                                          cid % 10),
            "updated_at": "2025-02-20T12:00:00.000Z",
        })
    return out


def user_objects(rng):
    out = []
    for uid, name, local, password, active in USERS:
        signed = None
        if uid % 4 != 0:
            signed = iso(rng, 2025, rng.randrange(1, 4), rng.randrange(1, 29))
        out.append({
            "id": uid,
            "name": name,
            "email": email(local),
            "password": password,
            "company_id": active,
            "last_sign_in_at": signed,
            "receipts_email": "%08x-demo@receipts.%s" % (
                rng.getrandbits(32), DOMAIN),
        })
    return out


def sso_company_object():
    c = SSO_COMPANY
    return {
        "id": c["id"],
        "name": c["name"],
        "business_id": "%07d-%d" % (c["id"] * 9173 % 10000000, c["id"] % 10),
        "locale": c["locale"],
        "schedule": "weekly",
        "employees_see_all_users": False,
        "password_auth_disabled": True,
        "sso_domain": c["sso_domain"],
        "okta_url": c["okta_url"],
        "show_trip_form": True,
        "show_daily_allowance_form": True,
        "created_at": "2024-06-03T08:00:00.000Z",
        "updated_at": "2025-02-20T12:00:00.000Z",
    }


def sso_user_objects(rng):
    out = []
    for uid, name, address, password, extra, _roles in SSO_USERS:
        item = {
            "id": uid,
            "name": name,
            "email": address,
            "password": password,
            "company_id": SSO_COMPANY["id"],
            "last_sign_in_at": iso(rng, 2025, rng.randrange(1, 4),
                                   rng.randrange(1, 29)),
            "receipts_email": "%08x-demo@receipts.%s" % (
                rng.getrandbits(32), DOMAIN),
        }
        item.update(extra)
        out.append(item)
    return out


def sso_membership_objects(first_id):
    return [{"id": first_id + n, "user_id": u[0],
             "company_id": SSO_COMPANY["id"], "state": "accepted",
             "roles": u[5]}
            for n, u in enumerate(SSO_USERS)]


def sso_receipt_objects(rng, first_id):
    # Only the people submit receipts, not the service user.
    people = [u[0] for u in SSO_USERS if "service_user" not in u[4]]
    out = []
    for n in range(SSO_COMPANY["receipts"]):
        month = rng.randrange(1, 13)
        day = rng.randrange(1, 29)
        out.append({
            "id": first_id + n,
            "date": "2024-%02d-%02d" % (month, day),
            "description": rng.choice(DESCRIPTIONS["fi"]),
            "user_id": people[n % len(people)],
            "company_id": SSO_COMPANY["id"],
            "state": rng.choices(STATES, STATE_WEIGHTS)[0],
            "total_cost": amount(rng, SSO_COMPANY["currency"]),
            "currency": SSO_COMPANY["currency"],
            "created_at": iso(rng, 2024, month, day),
            "updated_at": iso(rng, 2025, rng.randrange(1, 3),
                              rng.randrange(1, 29)),
        })
    return out


def membership_objects():
    out = []
    for n, (uid, cid, state, roles, named) in enumerate(MEMBERSHIPS):
        item = {"id": 9001 + n, "user_id": uid, "company_id": cid,
                "state": state, "roles": roles}
        if not named:
            item["hide_company_name"] = True
        out.append(item)
    return out


def amount(rng, currency):
    if currency == "JPY":
        return "%d.00" % (rng.randrange(3, 600) * 100)
    cents = int(rng.lognormvariate(3.3, 1.0) * 100) + 150
    return "%d.%02d" % (cents // 100, cents % 100)


def receipt_slots():
    # One slot per receipt, shuffled so ids interleave across companies.
    slots = []
    for cid, _name, locale, currency, _see, count in COMPANIES:
        members = [m[0] for m in MEMBERSHIPS
                   if m[1] == cid and m[2] == "accepted"]
        lang = "ja" if cid == 539 else locale
        for n in range(count):
            slots.append((cid, members[n % len(members)], lang, currency))
    return slots


def receipt_objects(rng):
    slots = receipt_slots()
    rng.shuffle(slots)
    out = []
    for n, (cid, uid, lang, currency) in enumerate(slots):
        month = rng.randrange(1, 13)
        day = rng.randrange(1, 29)
        state = rng.choices(STATES, STATE_WEIGHTS)[0]
        if cid == 427 and rng.random() < 0.2:
            currency = "SEK"
        out.append({
            "id": 2001 + n,
            "date": "2024-%02d-%02d" % (month, day),
            "description": rng.choice(DESCRIPTIONS[lang]),
            "user_id": uid,
            "company_id": cid,
            "state": state,
            "total_cost": amount(rng, currency),
            "currency": currency,
            "created_at": iso(rng, 2024, month, day),
            "updated_at": iso(rng, 2025, rng.randrange(1, 3),
                              rng.randrange(1, 29)),
        })
    return out


# ---------------------------------------------------------------------------
# The browsable views: receipt details, trips, daily allowances, rewards,
# ledger accounts, cost centers, batches and company settings. Everything
# below draws from seeds of its own and is written after the older records,
# or added as new keys to them, so that no older id, value or draw changes.

VIEWS_SEED = SEED + 4000
BIG = 318  # the company with hundreds of rows in every list

# id: (lock_until, show_reward_form, show_budgets, default_approver_id)
COMPANY_SETTINGS = {
    101: (None, False, False, None),
    205: ("2024-06-30", True, False, 4703),
    318: ("2024-12-31", True, True, 4706),
    427: (None, False, False, 4709),
    539: (None, False, False, 4712),
    642: ("2024-09-30", True, False, 4716),
}

LANG = {101: "fi", 205: "fi", 318: "fi", 427: "sv", 539: "ja", 642: "fi"}
CURRENCY = {101: "EUR", 205: "EUR", 318: "EUR", 427: "EUR", 539: "JPY",
            642: "EUR"}

# Who is named approver of a reviewing item outside 318: the first of the
# list who did not submit it. The role string "approver" grants nothing;
# being named does.
APPROVER_CHAIN = {101: [4701, 4702], 205: [4703, 4701], 427: [4709, 4702],
                  539: [4712, 4701], 642: [4716, 4717]}

# New receipts in 318 and (trips, daily allowances, rewards) per company.
NEW_RECEIPTS_318 = 400
EXPENSE_COUNTS = {101: (12, 8, 0), 205: (10, 6, 14), 318: (150, 120, 80),
                  427: (14, 10, 0), 539: (8, 0, 0), 642: (6, 4, 5)}

PEKKA, RIIKKA, TAPIO, YUI, OSKARI = 4706, 4707, 4708, 4714, 4715

LONG_TEXT = ("Asennustyömaan tarvikkeet ja matkat, Pohjolan Sähkö: " +
             "kaapelikourut, johdinsarjat, liittimet, sulakkeet, " * 12 +
             "loppu.")
HOSTILE = [
    # id, owner, state, description
    (None, OSKARI, "reviewing", LONG_TEXT),
    (None, RIIKKA, "queue", 'Kahvit, pullat ja "tarjoilu" palaveriin'),
    (None, YUI, "accounted", "Hotelli Tampere\nlisäyö, 東京 asiakas"),
]

EXTRA_FI = [
    "Sähkökaapeli MMJ 3x2,5, 100 m",
    "Asiakaskäynti, Ähtäri",
    "Kokous 東京デザイン kanssa, lounas",
    "Työmaaruokailu, Äänekoski",
    "Vuokraperäkärry, Säkylä",
]

TRIP_TEXT = {
    "fi": ["Asiakaskäynti, Jyväskylä", "Työmaa Rovaniemi",
           "Huoltokäynti, sähkökeskus Äänekoski", "Koulutus Tampereella",
           "Tarvikehaku, K-Rauta Härmälä", "Työmaakatselmus Säkylä",
           "Kuopio–Iisalmi–Kuopio, asennus"],
    "sv": ["Kundbesök i Jomala", "Hamnen i Eckerö", "Varvet i Åbo",
           "Möte i Mariehamn"],
    "ja": ["顧客訪問（横浜）", "撮影ロケ（鎌倉）", "印刷所 打ち合わせ"],
}
ALLOWANCE_TEXT = {
    "fi": ["Asennusmatka Ouluun", "Messut Tukholmassa", "Työmaa Rovaniemi",
           "Koulutus Tallinnassa", "Huoltoreissu Lappiin",
           "Asiakasprojekti Hampuri"],
    "sv": ["Resa till Stockholm", "Varvsbesök i Åbo", "Mässa i Oslo"],
}
REWARD_TYPES = {
    "fi": ["Lounasetu", "Liikuntaetu", "Kulttuurietu", "Polkupyöräetu",
           "Merkkipäivälahja"],
}
VENDORS = {
    "fi": ["Neste", "K-Rauta", "Ravintola Mäntylä", "VR", "Scandic",
           "Motonet", "Sähkö-Lähde Oy", "Café Ekberg", None],
    "sv": ["Viking Line", "Ålands Ombudsbolag", "Smörgåsbordet", None],
    "ja": ["ローソン", "JR東日本", "無印良品", None],
}
COMMENTS = {
    "fi": (["Kuitti liitteenä.", "Lisäsin kustannuspaikan.",
            "Asiakas: Äänekosken kaupunki."],
           ["Kuitti puuttuu, lisää liite.",
            "Väärä kustannuspaikka, korjaa ja lähetä uudelleen."]),
    "sv": (["Kvitto bifogat.", "Kund: Ålands landskapsregering."],
           ["Kvittot saknas."]),
    "ja": (["領収書を添付しました。"], ["領収書がありません。"]),
}

# code, Finnish, Swedish, Japanese name; "A": asset account (payment).
LEDGER = [
    ("1910", "A", "Pankkitili", "Bankkonto", "普通預金"),
    ("1911", "A", "Yrityksen luottokortti", "Företagskort", "法人カード"),
    ("2870", "A", "Kulukorvausvelat", "Utläggsskulder", "未払金"),
    ("1900", "A", "Käteiskassa (suljettu)", "Kassa (stängd)", "現金（停止）"),
    ("4000", "E", "Ostot", "Inköp", "仕入高"),
    ("7100", "E", "Matkakulut, kotimaa", "Resor, inrikes", "旅費交通費"),
    ("7110", "E", "Matkakulut, ulkomaa", "Resor, utrikes", "海外旅費"),
    ("7120", "E", "Päivärahat", "Traktamenten", "出張手当"),
    ("7130", "E", "Kilometrikorvaukset", "Milersättning", "車両費"),
    ("7300", "E", "Edustuskulut", "Representation", "交際費"),
    ("7400", "E", "Koulutus", "Utbildning", "研修費"),
    ("7600", "E", "Toimistotarvikkeet", "Kontorsmaterial", "消耗品費"),
    ("7700", "E", "Puhelinkulut", "Telefon", "通信費"),
    ("7800", "E", "Työkalut ja tarvikkeet", "Verktyg", "工具器具"),
    ("5800", "E", "Henkilöstöedut", "Personalförmåner", "福利厚生費"),
    ("7900", "E", "Muut kulut", "Övriga kostnader", "雑費"),
    ("7950", "E", "Vanha kulutili (ei käytössä)", "Gammalt konto",
     "旧勘定"),
]
LEDGER_318 = [
    ("4100", "E", "Aliurakointi"), ("4200", "E", "Varaosat"),
    ("4300", "E", "Sähkötarvikkeet"), ("4310", "E", "Kaapelit ja johtimet"),
    ("4320", "E", "Valaisimet"), ("7810", "E", "Suojavarusteet"),
    ("7820", "E", "Ajoneuvokulut"), ("7830", "E", "Polttoaineet"),
    ("7840", "E", "Vuokrakoneet"), ("7850", "E", "Jätehuolto"),
]
DEACTIVATED_CODES = ("1900", "7950")

# dimension: [(name, deactivated)]
COST_CENTERS = {
    "fi": [("Osasto", ["Hallinto", "Myynti", "Asennus", "Huolto",
                       "Suunnittelu"]),
           ("Projekti", ["P-101 Kauppakeskus Äänekoski",
                         "P-102 Sairaala Oulu", "P-103 Koulu Jyväskylä",
                         "P-099 Vanha projekti"])],
    "sv": [("Avdelning", ["Administration", "Trafik", "Teknik"]),
           ("Fartyg", ["M/S Ålänningen", "M/S Sjöbris"])],
    "ja": [("部門", ["デザイン", "営業", "管理"]),
           ("プロジェクト", ["ブランド刷新", "ウェブサイト"])],
}
PROJECTS_318 = ["P-104 Datakeskus Hamina", "P-105 Tuulipuisto Ii",
                "P-106 Kerrostalo Kallio", "P-107 Silta Äänekoski",
                "P-108 Laturit, Säkylä", "P-109 Hissit, Tampere"]

VEHICLES = {"fi": ["Oma auto", "Sähköauto", "Pakettiauto"],
            "sv": ["Egen bil", "Elbil"], "ja": ["自家用車"]}
# id, Finnish name, Swedish name, full-day rate in 2024 and in 2025
COUNTRIES = [(1, "Suomi", "Finland", 51.0, 53.0),
             (2, "Ruotsi", "Sverige", 66.0, 66.0),
             (3, "Viro", "Estland", 60.0, 61.0),
             (4, "Saksa", "Tyskland", 62.0, 64.0),
             (5, "Norja", "Norge", 73.0, 74.0)]


def cents_text(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


def to_cents(text):
    whole, frac = text.split(".")
    return int(whole) * 100 + int(frac)


def accepted_members(cid, memberships):
    return [m["user_id"] for m in memberships
            if m["company_id"] == cid and m["state"] == "accepted"]


def add_company_settings(companies):
    for c in companies:
        lock, reward, budgets, approver = COMPANY_SETTINGS[c["id"]]
        c["lock_until"] = lock
        c["show_reward_form"] = reward
        c["show_budgets"] = budgets
        c.setdefault("okta_url", None)
        c["default_approver_id"] = approver


def add_user_fields(users):
    for u in users:
        signed = u["last_sign_in_at"] is not None
        u["sign_in_count"] = (u["id"] * 37) % 240 + 3 if signed else 0
        u["locale"] = "sv" if LANG[u["company_id"]] == "sv" else (
            "en" if LANG[u["company_id"]] == "ja" else "fi")
        u["email_is_confirmed"] = u["id"] not in (4705, 4711)


def ledger_objects():
    out = []
    for cid in sorted(LANG):
        lang = LANG[cid]
        rows = [(code, kind, {"fi": fi, "sv": sv, "ja": ja}[lang])
                for code, kind, fi, sv, ja in LEDGER]
        if cid == BIG:
            rows += LEDGER_318
        for n, (code, kind, name) in enumerate(sorted(rows)):
            out.append({
                "id": cid * 100 + n + 1,
                "company_id": cid,
                "code": code,
                "accountable_type": ("AssetAccount" if kind == "A"
                                     else "ExpenseAccount"),
                "name": name,
                "deactivated": code in DEACTIVATED_CODES,
                "default_vat_id": None if kind == "A" else 1 + n % 3,
                "show_on_receipt_form": code not in DEACTIVATED_CODES,
                "external_id": None if n % 4 == 3 else "L%d-%s" % (cid, code),
            })
    return out


def cost_center_objects(memberships):
    out = []
    for cid in sorted(LANG):
        members = accepted_members(cid, memberships)
        n = 0
        for dim_index, (dim, names) in enumerate(COST_CENTERS[LANG[cid]]):
            if cid == BIG and dim_index == 1:
                names = names + PROJECTS_318
            for name in names:
                n += 1
                out.append({
                    "id": cid * 1000 + n,
                    "company_id": cid,
                    "name": name,
                    "dimension_name": dim,
                    "assignee_ids": members[n % len(members):][:n % 3],
                    "deactivated": 1 if "Vanha" in name else 0,
                    "send_to_accounting": 0 if n % 5 == 0 else 1,
                    "external_id": "CC%d-%02d" % (cid, n),
                    "required_dimension": cid == BIG and dim_index == 0,
                })
    return out


class Ids:
    """Running ids for records nested in items."""

    def __init__(self):
        self.document = 60001
        self.trip_entry = 33001
        self.allowance_entry = 44001


def approver_chain(rng, cid, owner):
    if cid == BIG:
        if owner == RIIKKA:
            return [PEKKA]
        if owner == PEKKA:
            return [RIIKKA]
        roll = rng.random()
        if roll < 0.45:
            return [RIIKKA]
        return [PEKKA] if roll < 0.8 else [PEKKA, RIIKKA]
    chain = [u for u in APPROVER_CHAIN[cid] if u != owner]
    return chain[:1]


def comment_time(date, rng):
    year, month, day = date.split("-")
    return "%s/%s/%s %02d:%02d" % (day, month, year[2:],
                                   rng.randrange(7, 19), rng.randrange(60))


def comments_for(rng, item, names, chain):
    plain, refusals = COMMENTS[LANG[item["company_id"]]]
    out = []
    if rng.random() < 0.25:
        out.append({"comment": rng.choice(plain),
                    "user_name": names[item["user_id"]],
                    "created_at": comment_time(item["date"], rng),
                    "disapprove_comment": False,
                    "reversal_comment": False})
    if item["state"] == "unapproved":
        out.append({"comment": rng.choice(refusals),
                    "user_name": names[chain[0]],
                    "created_at": comment_time(item["date"], rng),
                    "disapprove_comment": True,
                    "reversal_comment": False})
    return out


def cost_center_pick(rng, cid, centers):
    picked = []
    for dim in sorted({c["dimension_name"] for c in centers
                       if c["company_id"] == cid}):
        pool = [c["id"] for c in centers if c["company_id"] == cid
                and c["dimension_name"] == dim and not c["deactivated"]]
        if rng.random() < 0.7:
            picked.append(rng.choice(pool))
    return sorted(picked)


def add_common(rng, item, ctx):
    """The fields every expense type has, in the stored form."""
    cid = item["company_id"]
    chain = approver_chain(rng, cid, item["user_id"])
    state = item["state"]
    item["cost_center_ids"] = cost_center_pick(rng, cid, ctx["centers"])
    item["current_approvers_ids"] = chain if state == "reviewing" else []
    item["approved_by_ids"] = ([str(u) for u in chain]
                               if state in ("queue", "accounted") else [])
    item["comments"] = comments_for(rng, item, ctx["names"], chain)
    item["paid_at"] = None


def document(ids, name, kind):
    doc = {"id": ids.document, "file_name": name, "content_type": kind}
    ids.document += 1
    return doc


def vat_rates(item):
    lang = LANG[item["company_id"]]
    if item["currency"] == "JPY":
        return [10, 8]
    if item["currency"] == "SEK" or lang == "sv":
        return [25, 12, 6]
    return ["25.5" if item["date"] >= "2024-09-01" else 24, 14, 10]


def vat_line(account, cents, rate, currency):
    value = float(rate)
    vat = int(round(cents * value / (100 + value)))
    if currency == "JPY":
        vat = vat // 100 * 100
    return {"expense_account_id": account["id"],
            "expense_account_name": account["name"],
            "amount": cents_text(cents), "vat_percent": str(rate),
            "vat_amount": cents_text(vat)}


def add_receipt_fields(rng, item, ctx):
    cid = item["company_id"]
    lang = LANG[cid]
    total = to_cents(item["total_cost"])
    expense = [a for a in ctx["accounts"] if a["company_id"] == cid and
               a["accountable_type"] == "ExpenseAccount" and
               not a["deactivated"]]
    asset = [a for a in ctx["accounts"] if a["company_id"] == cid and
             a["accountable_type"] == "AssetAccount" and
             not a["deactivated"]]
    rates = vat_rates(item)
    parts = [total]
    if total >= 2000 and rng.random() < 0.3:
        first = total // 100 * rng.randrange(30, 70)
        parts = [first, total - first]
    item["vendor"] = rng.choice(VENDORS[lang])
    item["credit_account_id"] = rng.choice(asset)["id"]
    item["vat_lines"] = [vat_line(rng.choice(expense), p, rng.choice(rates),
                                  item["currency"]) for p in parts]
    docs = []
    if item["state"] != "draft" or rng.random() < 0.5:
        stem = "領収書" if lang == "ja" else ("kvitto" if lang == "sv"
                                              else "kuitti")
        docs.append(document(ctx["ids"], "%s-%d.pdf" % (stem, item["id"]),
                             "application/pdf"))
        if rng.random() < 0.15:
            docs.append(document(ctx["ids"], "IMG_%04d.jpg" % (
                item["id"] % 10000), "image/jpeg"))
    item["documents"] = docs


def new_receipts(rng, ctx, first_id):
    members = accepted_members(BIG, ctx["memberships"])
    out = []
    for n in range(NEW_RECEIPTS_318):
        owner = members[n % len(members)]
        month = rng.randrange(1, 15)
        year = 2024 + (month > 12)
        month = (month - 1) % 12 + 1
        day = rng.randrange(1, 29)
        state = rng.choices(STATES, STATE_WEIGHTS)[0]
        if year == 2025 and month == 2 and state == "accounted":
            state = "queue"
        text = rng.choice(DESCRIPTIONS["fi"] + EXTRA_FI)
        if n < len(HOSTILE):
            _id, owner, state, text = HOSTILE[n]
        out.append({
            "id": first_id + n,
            "date": "%04d-%02d-%02d" % (year, month, day),
            "description": text,
            "user_id": owner,
            "company_id": BIG,
            "state": state,
            "total_cost": amount(rng, "EUR"),
            "currency": "EUR",
            "created_at": iso(rng, year, month, day),
            "updated_at": updated(rng, year),
        })
    return out


def item_base(rng, item_id, cid, owner, text):
    month = rng.randrange(1, 15)
    year = 2024 + (month > 12)
    month = (month - 1) % 12 + 1
    day = rng.randrange(1, 29)
    state = rng.choices(STATES, STATE_WEIGHTS)[0]
    if year == 2025 and month == 2 and state == "accounted":
        state = "queue"
    return {
        "id": item_id,
        "date": "%04d-%02d-%02d" % (year, month, day),
        "description": text,
        "user_id": owner,
        "company_id": cid,
        "state": state,
        "created_at": iso(rng, year, month, day),
        "updated_at": updated(rng, year),
    }


def updated(rng, year):
    """An update after the item was made: items of 2025 were last changed
    in March."""
    if year == 2025:
        return iso(rng, 2025, 3, rng.randrange(1, 29))
    return iso(rng, 2025, rng.randrange(1, 3), rng.randrange(1, 29))


def trip_fields(rng, item, ctx):
    cid = item["company_id"]
    lang = LANG[cid]
    names = VEHICLES[lang]
    pick = rng.randrange(len(names))
    per_km = 2500 if CURRENCY[cid] == "JPY" else (
        59 if item["date"] >= "2025" else 57)
    entries = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        km = round(rng.uniform(4, 420), 1)
        people = rng.choice(["1", "1", "1", "2", "3"])
        entries.append({
            "id": ctx["ids"].trip_entry, "distance": km,
            "number_of_people": people,
            "cost_cents": int(round(km * per_km)),
            "cost_currency": CURRENCY[cid],
            "route": (None if rng.random() < 0.3 else
                      rng.choice(TRIP_TEXT[lang]).split(",")[-1].strip()),
            "emissions": "%.2f" % (km * 0.167),
        })
        ctx["ids"].trip_entry += 1
    item.update({
        "taxable": 0,
        "mileage_vehicle_id": cid * 10 + pick + 1,
        "vehicle": {"id": cid * 10 + pick + 1, "name": names[pick]},
        "entries": entries,
        "total_cost": cents_text(sum(e["cost_cents"] for e in entries)),
        "currency": CURRENCY[cid],
        "documents": [],
    })


def epoch(date, hour):
    year, month, day = (int(x) for x in date.split("-"))
    return calendar.timegm((year, month, day, hour, 0, 0))


def allowance_fields(rng, item, ctx):
    country = COUNTRIES[0] if rng.random() < 0.6 else rng.choice(COUNTRIES)
    rate = country[4] if item["date"] >= "2025" else country[3]
    country_name = country[2 if LANG[item["company_id"]] == "sv" else 1]
    days = rng.randrange(1, 5)
    start = epoch(item["date"], rng.randrange(6, 10))
    end = start + days * 86400 - rng.randrange(1, 6) * 3600
    free_days = []
    for n in range(days):
        if rng.random() < 0.3:
            lunch = rng.random() < 0.8
            free_days.append({
                "date": time.strftime("%Y-%m-%d",
                                         time.gmtime(start + n * 86400)),
                "had_breakfast": rng.random() < 0.5,
                "had_lunch": lunch, "had_dinner": not lunch,
                "is_full": False})
    subtotal = days * rate
    free = len(free_days) * rate / 2
    item.update({
        "number_of_days": days,
        "taxable": 0.0,
        "subtotal": subtotal,
        "free_meals_cost": free,
        "currency": "EUR",
        "total_cost": cents_text(int(round((subtotal - free) * 100))),
        "free_meal_days": free_days,
        "entries": [{"id": ctx["ids"].allowance_entry,
                     "country_id": country[0], "country_name": country_name,
                     "start_time": start, "end_time": end,
                     "cost_cents": int(round(subtotal * 100))}],
        "documents": [],
    })
    ctx["ids"].allowance_entry += 1


def reward_fields(rng, item, ctx):
    cid = item["company_id"]
    kinds = REWARD_TYPES["fi"]
    pick = rng.randrange(len(kinds))
    cents = rng.choice([5000, 10000, 20000, 30000, 40000, 120000])
    year, month, _day = item["date"].split("-")
    item.update({
        "description": "%s, %s" % (kinds[pick], rng.choice(
            ["kevät", "syksy", "tammikuu", "kesäkuu", "50-vuotispäivä"])),
        "reward_type": {"id": cid * 10 + pick + 1, "name": kinds[pick]},
        "start_time": "%s-%s-01" % (year, month),
        "end_time": "%s-%s-28" % (year, month),
        "total_cost": cents_text(cents),
        "total_tax_amount": cents_text(cents * 30 // 100 if pick == 3 else 0),
        "currency": "EUR",
        "documents": ([document(ctx["ids"], "etu-%d.pdf" % item["id"],
                                "application/pdf")]
                      if rng.random() < 0.3 else []),
    })


def expense_objects(rng, ctx, kind, first_id):
    """Trips (kind 0), daily allowances (1) or rewards (2) of every
    company, ids in one run."""
    fields = [trip_fields, allowance_fields, reward_fields][kind]
    out = []
    for cid in sorted(EXPENSE_COUNTS):
        members = accepted_members(cid, ctx["memberships"])
        lang = LANG[cid]
        for n in range(EXPENSE_COUNTS[cid][kind]):
            item_id = first_id + len(out)
            if kind == 0:
                text = rng.choice(TRIP_TEXT[lang])
            elif kind == 1:
                text = rng.choice(ALLOWANCE_TEXT[lang])
            else:
                text = ""  # reward_fields writes it from the type
            item = item_base(rng, item_id, cid, members[n % len(members)],
                             text)
            fields(rng, item, ctx)
            add_common(rng, item, ctx)
            out.append(item)
    return out


def month_end(date):
    year, month = int(date[:4]), int(date[5:7])
    return "%04d-%02d-%02d" % (year, month,
                               calendar.monthrange(year, month)[1])


def batch_objects(groups, first_id):
    """One batch per company and month of accounted items; sets the batch
    fields of each item."""
    out = []
    for n, key in enumerate(sorted(groups)):
        cid, month = key
        items = groups[key]
        date = month_end(month + "-01")
        bid = first_id + n
        ref = "RF%02d%04d%06d" % ((bid * 7) % 97, cid, bid)
        year, mon, day = (int(x) for x in date.split("-"))
        paid = time.strftime("%Y-%m-%d", time.gmtime(
            calendar.timegm((year, mon, day, 12, 0, 0)) + 5 * 86400))
        for item in items:
            item["paid_at"] = paid
            item["batch_reference_number"] = ref
            item["batch_date"] = date
        total = sum(to_cents(i["total_cost"]) for i in items
                    if i["currency"] == CURRENCY[cid])
        out.append({
            "id": bid, "company_id": cid,
            "description": {"fi": "Tositteet %s", "sv": "Verifikat %s",
                            "ja": "バッチ %s"}[LANG[cid]] % month,
            "created_at": date, "reference_number": ref,
            "pdf_path": (None if bid % 5 == 0 else
                         "/files/batch_documents/%d.pdf" % bid),
            "external_id": None if bid % 3 == 0 else "B%d" % bid,
            "item_count": len(items), "total": cents_text(total),
            "currency": CURRENCY[cid],
        })
    return out


def add_views(data):
    """Adds everything the browsable views need to data, in place."""
    rng = random.Random(VIEWS_SEED)
    ctx = {"ids": Ids(), "memberships": data["memberships"],
           "names": {u["id"]: u["name"] for u in data["users"]}}
    add_company_settings(data["companies"])
    add_user_fields(data["users"])
    ctx["accounts"] = ledger_objects()
    ctx["centers"] = cost_center_objects(data["memberships"])
    data["receipts"] += new_receipts(rng, ctx,
                                     2001 + len(data["receipts"]))
    for item in data["receipts"]:
        add_receipt_fields(rng, item, ctx)
        add_common(rng, item, ctx)
    data["trips"] = expense_objects(rng, ctx, 0, 3001)
    data["daily_allowances"] = expense_objects(rng, ctx, 1, 4001)
    data["rewards"] = expense_objects(rng, ctx, 2, 5001)
    groups = {}
    for key in ("receipts", "trips", "daily_allowances", "rewards"):
        for item in data[key]:
            if item["state"] == "accounted":
                groups.setdefault((item["company_id"], item["date"][:7]),
                                  []).append(item)
    data["accounts"] = ctx["accounts"]
    data["cost_centers"] = ctx["centers"]
    data["batch_documents"] = batch_objects(groups, 8001)


ACCOUNTS = [
    ("aino.harkonen", "accountant in 3 companies, employee in a 4th"),
    ("pekka.vaisanen", "manager, Pohjolan Sähkö ja Lämpö Oy"),
    ("riikka.soderstrom", "employee, approves colleagues' items, "
     "Pohjolan Sähkö"),
    ("sanna.aimala", "manager, Kahvila Äimä Oy"),
    ("jussi.ohman", "employee, Kahvila Äimä (sees all users)"),
    ("haruka.sato", "manager, 東京デザイン株式会社"),
]

# The SSO company's accounts: email, password ("-": none), description.
SSO_ACCOUNTS = [
    (SSO_USERS[0][2], "-",
     "SSO only, Revontuli Analytics: google token demo-google-kaisa, "
     "microsoft demo-microsoft-kaisa, okta demo-okta-kaisa"),
    (SSO_USERS[2][2], SSO_USERS[2][3],
     "service user for integrations, accountant, Revontuli Analytics"),
]


# Added after the SSO accounts so that the older rows keep their numbers.
ROLE_ACCOUNTS = [
    ("tapio.makela", "money checker: every item in review, Pohjolan Sähkö"),
    ("oskari.heikkila", "plain employee: own items only, Pohjolan Sähkö"),
]


def write_accounts():
    passwords = {u[2]: u[3] for u in USERS}
    lines = ["# email\tpassword\tdescription (invented demo accounts)"]
    for local, what in ACCOUNTS:
        lines.append("%s\t%s\t%s" % (email(local), passwords[local], what))
    for address, password, what in SSO_ACCOUNTS:
        lines.append("%s\t%s\t%s" % (address, password, what))
    for local, what in ROLE_ACCOUNTS:
        lines.append("%s\t%s\t%s" % (email(local), passwords[local], what))
    with open(os.path.join(HERE, "accounts.tsv"), "w",
              encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    rng = random.Random(SEED)
    sso_rng = random.Random(SSO_SEED)
    data = {
        "version": 1,
        "comment": "Invented demo data for bezala-sim; see README.md.",
        "companies": company_objects() + [sso_company_object()],
        "users": user_objects(rng),
        "memberships": membership_objects(),
        "receipts": receipt_objects(rng),
    }
    data["users"] += sso_user_objects(sso_rng)
    data["memberships"] += sso_membership_objects(
        9001 + len(data["memberships"]))
    data["receipts"] += sso_receipt_objects(
        sso_rng, 2001 + len(data["receipts"]))
    add_views(data)
    with open(os.path.join(HERE, "data.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    write_accounts()


if __name__ == "__main__":
    main()
