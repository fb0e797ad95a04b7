#!/usr/bin/env python3
"""Writes the invented demo data set (data.json, accounts.tsv) for bezala-sim.

Deterministic: the same script always writes the same bytes. Every company,
person, email and amount here is invented. Run from any directory:

    python3 assets/demo/make-data.py
"""

import json
import os
import random

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


ACCOUNTS = [
    ("aino.harkonen", "accountant in 3 companies, employee in a 4th"),
    ("pekka.vaisanen", "manager, Pohjolan Sähkö ja Lämpö Oy"),
    ("riikka.soderstrom", "employee and approver, Pohjolan Sähkö"),
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


def write_accounts():
    passwords = {u[2]: u[3] for u in USERS}
    lines = ["# email\tpassword\tdescription (invented demo accounts)"]
    for local, what in ACCOUNTS:
        lines.append("%s\t%s\t%s" % (email(local), passwords[local], what))
    for address, password, what in SSO_ACCOUNTS:
        lines.append("%s\t%s\t%s" % (address, password, what))
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
    with open(os.path.join(HERE, "data.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    write_accounts()


if __name__ == "__main__":
    main()
