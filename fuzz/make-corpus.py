#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus: one page of every endpoint built from
the demo data the way bezala-sim answers, the API reference's examples
and the hand-written seeds in fuzz/seeds/.

Usage: make-corpus.py OUTDIR [--data data.json] [--api-doc bezala-api.md]

OUTDIR gets one folder per harness (view_decode, decode, text, and
config from the hand-written seeds only). The corpus is generated: keep
it in the build directory, not in git.
"""

import argparse
import copy
import hashlib
import json
import os
import re
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# enum core_view in core/view.h, in its order.
VIEWS = ["receipts", "trips", "allowances", "rewards", "approvals",
         "archive", "users", "ledger_accounts", "cost_centers", "batches",
         "company"]

# data.json key, the list's JSON prefix and the item type, as
# tests/sim/data.c names the kinds.
KINDS = [("receipts", "transactions", "receipt", "receipts"),
         ("trips", "trips", "trip", "trips"),
         ("daily_allowances", "daily_allowances", "daily_allowance",
          "allowances"),
         ("rewards", "rewards", "reward", "rewards")]

OPEN_STATES = ["draft", "reviewing", "unapproved", "queue"]
PAGE = 10

# fuzz_decode's first byte: the decoder in the low 2 bits.
DECODE_HOME, DECODE_COMPANY, DECODE_SIGN_IN, DECODE_ERROR = 0, 1, 2, 3


def dump(value):
    return json.dumps(value, ensure_ascii=False,
                      separators=(",", ":")).encode()


class Corpus:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = {}

    def add(self, harness, data):
        folder = os.path.join(self.outdir, harness)
        os.makedirs(folder, exist_ok=True)
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
        self.count[harness] = self.count.get(harness, 0) + 1

    def view(self, view, body, per_page=0, sort=0xff, flt=b"", desc=False):
        flt = flt[:31]
        head = struct.pack("BBBB", VIEWS.index(view), per_page, sort,
                           len(flt) | (0x80 if desc else 0))
        self.add("view_decode", head + flt + body)

    def decode(self, which, body, size_bits=0x3f):
        self.add("decode", bytes([which | (size_bits << 2)]) + body)

    def text(self, cols, size, text):
        self.add("text", struct.pack("bB", cols, size) + text.encode())


class Sim:
    """The shapes bezala-sim answers (tests/sim/items.c, views.c,
    reference.c, api.c), for one company seen by an accountant."""

    def __init__(self, data, company_id):
        self.data = data
        self.company_id = company_id
        self.users = {u["id"]: u for u in data["users"]}
        self.centers = {c["id"]: c for c in data["cost_centers"]}

    def names_of(self, ids):
        return [self.users[int(i)]["name"] for i in ids
                if int(i) in self.users]

    def item(self, kind, obj):
        obj = copy.deepcopy(obj)
        for key in ("cost_center_ids", "current_approvers_ids",
                    "approved_by_ids", "comments", "documents"):
            if not isinstance(obj.get(key), list):
                obj[key] = []
        obj["_id"] = "%s-%d" % (kind[2], obj["id"])
        obj["type"] = kind[2]
        obj["user_name"] = self.users[obj["user_id"]]["name"]
        obj["approvers"] = self.names_of(obj["current_approvers_ids"])
        obj["cost_centers"] = [
            {k: self.centers[i][k] for k in ("id", "name", "dimension_name")}
            for i in obj["cost_center_ids"] if i in self.centers]
        obj["approved_by"] = (self.names_of(obj["approved_by_ids"])
                              if obj["approved_by_ids"] else None)
        obj.setdefault("paid_at", None)
        return obj

    def items(self, kind):
        rows = [i for i in self.data[kind[0]]
                if i["company_id"] == self.company_id]
        rows.sort(key=lambda i: (i["date"], i["id"]), reverse=True)
        return [self.item(kind, i) for i in rows]

    def expenses(self):
        answer = {}
        for kind in KINDS:
            items = self.items(kind)
            answer[kind[1] + "_on_review"] = [
                i for i in items if i["state"] == "reviewing"][:3]
            for state in OPEN_STATES:
                answer["%s_in_%s" % (kind[1], state)] = [
                    i for i in items if i["state"] == state][:3]
        answer["batch_dates"] = [b["created_at"] + "T00:00:00.000Z"
                                 for b in self.batches()][:5]
        return answer

    def batches(self):
        rows = [b for b in self.data["batch_documents"]
                if b["company_id"] == self.company_id]
        rows.sort(key=lambda b: (b["created_at"], b["id"]), reverse=True)
        return rows

    def archive(self, page):
        batches = self.batches()
        batch = batches[page] if page < len(batches) else None
        answer = {"has_more_items": page + 1 < len(batches),
                  "batch_date": batch["created_at"] if batch else None,
                  "batch_reference_number":
                      batch["reference_number"] if batch else None}
        for kind in KINDS:
            answer[kind[1] + "_in_accounted"] = [
                i for i in self.items(kind) if batch and
                i.get("batch_reference_number") == batch["reference_number"]]
        return answer

    def reference(self, key):
        rows = []
        for row in self.data[key]:
            if row["company_id"] != self.company_id:
                continue
            row = copy.deepcopy(row)
            del row["company_id"]
            if key == "batch_documents":
                path = row.pop("pdf_path", None)
                row["pdf_file_url"] = ("https://127.0.0.1:8443" + path
                                       if path else None)
            rows.append(row)
        return rows

    def company(self):
        return next(c for c in self.data["companies"]
                    if c["id"] == self.company_id)

    def members(self):
        out = []
        for m in self.data["memberships"]:
            if m["company_id"] != self.company_id:
                continue
            u = self.users[m["user_id"]]
            out.append({"id": u["id"], "name": u["name"],
                        "email": u["email"], "roles": m["roles"],
                        "state": m["state"],
                        "last_sign_in_at": u.get("last_sign_in_at"),
                        "sign_in_count": u.get("sign_in_count", 0),
                        "locale": u.get("locale"),
                        "email_is_confirmed":
                            u.get("email_is_confirmed") is not False})
        return out

    def home(self, user):
        memberships = [
            {"id": m["id"], "user_id": m["user_id"],
             "company_id": m["company_id"], "state": m["state"],
             "roles": m["roles"], "company_name": next(
                 c["name"] for c in self.data["companies"]
                 if c["id"] == m["company_id"])}
            for m in self.data["memberships"] if m["user_id"] == user["id"]]
        return {"user": {"id": user["id"], "name": user["name"],
                         "email": user["email"],
                         "company_id": user["company_id"],
                         "last_sign_in_at": user.get("last_sign_in_at"),
                         "memberships": memberships},
                "company": self.company(), "accounts": [], "currencies": [],
                "vats": [], "vehicles": [], "vendors": []}


def add_company(corpus, sim):
    for kind in KINDS:
        items = sim.items(kind)
        corpus.view(kind[3], dump(items[:PAGE]), PAGE)
        corpus.view(kind[3], dump(items[PAGE:2 * PAGE]), PAGE, 1, b"a",
                    True)
    corpus.view("receipts", b"[]", PAGE)
    corpus.view("approvals", dump(sim.expenses()))
    corpus.view("archive", dump(sim.archive(0)), 0, 2, b"e")
    corpus.view("archive", dump(sim.archive(10 ** 6)))
    corpus.view("users", dump(sim.members()[:PAGE]), PAGE)
    corpus.view("ledger_accounts", dump(sim.reference("accounts")[:PAGE]),
                PAGE)
    corpus.view("cost_centers", dump(sim.reference("cost_centers")[:PAGE]),
                PAGE, 0, b"o")
    corpus.view("batches", dump(sim.reference("batch_documents")[:PAGE]),
                PAGE)
    corpus.view("company", dump(sim.company()))
    corpus.decode(DECODE_COMPANY, dump(sim.company()))


def add_users(corpus, data, sims):
    for user in data["users"][:6]:
        sim = sims.get(user["company_id"])
        if sim:
            corpus.decode(DECODE_HOME, dump(sim.home(user)))
        corpus.decode(DECODE_SIGN_IN, dump(
            {"token": "demo-%d-AbCdEf0123456789" % user["id"],
             "user_id": user["id"],
             "receipts_email": user.get("receipts_email")}))
        corpus.text(40, 255, user["name"])
    for error in ("Invalid email or password.", "Not found.",
                  "You are not allowed to list users."):
        corpus.decode(DECODE_ERROR, dump({"error": error}))
    corpus.decode(DECODE_ERROR, dump(
        {"errors": {"email": ["is invalid"]}, "message": "Bad\ninput"}), 2)


def add_texts(corpus, data):
    for kind in KINDS:
        for item in data[kind[0]][:40:4]:
            for cols in (1, 12, 30, 80, -1):
                corpus.text(cols, 64 if cols < 30 else 255,
                            item["description"])
    for center in data["cost_centers"][:5]:
        corpus.text(12, 16, center["name"])


def doc_blocks(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for block in re.findall(r"```json\n(.*?)```", text, re.S):
        try:
            yield json.loads(block)
        except ValueError:
            continue


def add_doc(corpus, path):
    for value in doc_blocks(path):
        body = dump(value)
        corpus.decode(DECODE_ERROR, body)
        if isinstance(value, list):
            for view in VIEWS:
                corpus.view(view, body, PAGE)
        elif "company" in value:
            corpus.decode(DECODE_HOME, body)
            corpus.view("company", dump(value["company"]))
            corpus.decode(DECODE_COMPANY, dump(value["company"]))
        elif "token" in value:
            corpus.decode(DECODE_SIGN_IN, body)
        elif "collection" in value:
            corpus.view("receipts", dump(value["collection"]), PAGE)


def add_seeds(outdir):
    seeds = os.path.join(HERE, "seeds")
    if not os.path.isdir(seeds):
        return
    for harness in os.listdir(seeds):
        src = os.path.join(seeds, harness)
        dst = os.path.join(outdir, harness)
        os.makedirs(dst, exist_ok=True)
        for name in os.listdir(src):
            shutil.copy(os.path.join(src, name), os.path.join(dst, name))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--data", default=os.path.join(
        ROOT, "assets", "demo", "data.json"))
    parser.add_argument("--api-doc", default=os.environ.get(
        "BEZALA_API_DOC", "/work/shared/docs/bezala-api.md"))
    args = parser.parse_args()

    with open(args.data, encoding="utf-8") as f:
        data = json.load(f)
    corpus = Corpus(args.outdir)
    sims = {c["id"]: Sim(data, c["id"]) for c in data["companies"]}
    for sim in sims.values():
        add_company(corpus, sim)
    add_users(corpus, data, sims)
    add_texts(corpus, data)
    if os.path.isfile(args.api_doc):
        add_doc(corpus, args.api_doc)
    else:
        print("make-corpus: no API reference at %s; skipped its examples"
              % args.api_doc, file=sys.stderr)
    add_seeds(args.outdir)
    for harness, n in sorted(corpus.count.items()):
        print("make-corpus: %s: %d seeds" % (harness, n))


if __name__ == "__main__":
    main()
