"""Synthetic, line-labelled business mails for training the zoning model, written by the project.

``generate()`` composes messages from blocks (greeting, new text, closing, signature, mobile footer,
disclaimer, list footer, quote header, quoted text, forwarded message) in 16 languages, in the layouts
real clients produce: top-posted replies under Gmail/Apple/Outlook headers, Outlook "From/Sent/To/
Subject" blocks, forwards, interleaved and bottom-posted answers, mailing-list mail, Lotus Notes
headers, and mail whose new text merely *looks* like a header. It is seeded: the same call gives
the same file. ``write()`` stores them in ``models/datasets/zoning_examples.jsonl`` in the gold
file's format (``zones`` as ``[start, end, zone]`` runs).

Trailing blank lines belong to the block above them, as in ``replies_gold.jsonl``.
"""

from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path

from models.zoning.languages import MONTHS_ABBR, MONTHS_FULL, PACKS, WEEKDAYS_ABBR

__all__ = ["generate", "write", "EXAMPLES_PATH", "SEED"]

EXAMPLES_PATH = Path(__file__).resolve().parent.parent / "datasets" / "zoning_examples.jsonl"
SEED = 20261127
Lines = list[tuple[str, str]]

LANGS = ["en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "ru", "uk", "zh", "ja"]
_DOMAINS = {"en": "example.com", "de": "beispiel.de", "fr": "exemple.fr", "es": "ejemplo.es",
            "it": "esempio.it", "pt": "exemplo.pt", "nl": "voorbeeld.nl", "sv": "exempel.se",
            "da": "eksempel.dk", "no": "eksempel.no", "fi": "esimerkki.fi", "pl": "przyklad.pl",
            "ru": "primer.ru", "uk": "pryklad.ua", "zh": "shili.cn",
            "ja": "sample.co.jp"}
_ROMAN = {"ja": ["yamada", "sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "nakamura"],
          "zh": ["wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang"],
          "ru": ["petrov", "ivanova", "smirnov", "kuznetsova", "popov", "sokolova", "lebedev"],
          "uk": ["kovalenko", "shevchenko", "bondarenko", "tkachenko", "melnyk", "kravchenko", "polishchuk"]}


class _Gen:
    def __init__(self, rng: random.Random):
        self.r = rng

    # --- small helpers ---------------------------------------------------------------------------
    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def person(self, lang: str) -> dict[str, str]:
        pack = PACKS[lang]
        k = self.r.randrange(len(pack["last"]))
        first, last = self.pick(pack["first"]), pack["last"][k]
        if lang in ("zh", "ja"):
            name = last + first if lang == "zh" or self.chance(0.5) else f"{last} {first}"
        else:
            name = f"{first} {last}"
        roman_last = _ROMAN[lang][k % len(_ROMAN[lang])] if lang in _ROMAN else last
        if self.chance(0.6):
            local = f"{_ascii(first)[:1]}.{_ascii(roman_last)}".lower()
        else:
            local = _ascii(first).lower()
        if self.chance(0.7):
            domain = _DOMAINS[lang]
        else:
            domain = self.pick(["gmail.com", "outlook.com", "mail.example.org"])
        return {"first": first, "last": last, "name": name, "email": f"{local}@{domain}",
                "company": self.pick(pack["company"])}

    def date(self, lang: str) -> dict[str, str]:
        r = self.r
        y, m, d = r.randint(2012, 2026), r.randint(1, 12), r.randint(1, 28)
        h, mi, wd = r.randint(7, 19), r.choice([0, 5, 12, 15, 23, 30, 41, 45, 58]), r.randrange(7)
        ml = lang if lang in MONTHS_ABBR else "en"
        h12 = h % 12 or 12
        return {
            "y": str(y), "m": str(m), "d": str(d), "mm": f"{m:02d}", "dd": f"{d:02d}",
            "hm": f"{h:02d}:{mi:02d}", "hm12": f"{h12}:{mi:02d} {'AM' if h < 12 else 'PM'}",
            "hmdot": f"{h}.{mi:02d}", "ss": f"{r.randint(0, 59):02d}",
            "h12": str(h12), "mi": f"{mi:02d}", "ampm": "上午" if h < 12 else "下午",
            "mon": MONTHS_ABBR[ml][m - 1], "monl": MONTHS_FULL[ml][m - 1],
            "wd": WEEKDAYS_ABBR.get(lang, WEEKDAYS_ABBR["en"])[wd],
            "wdl": _WEEKDAY_LONG.get(lang, _WEEKDAY_LONG["en"])[wd],
        }

    def wrap(self, text: str, lang: str) -> list[str]:
        if lang in ("zh", "ja") or self.chance(0.45):
            return [text]
        return textwrap.wrap(text, width=self.r.choice([60, 66, 72, 76])) or [text]

    # --- blocks ----------------------------------------------------------------------------------
    def greeting(self, lang: str, to: dict, me: dict) -> Lines:
        pack = PACKS[lang]
        g = self.pick(pack["greet"]).format(first=to["first"], last=to["last"], company=to["company"])
        out = [(line, "greeting") for line in g.split("\n")]
        if lang == "ja":
            out.append(("", "greeting"))
            out.append((self.pick(pack["intro"]).format(self=me["last"], selfco=me["company"]), "greeting"))
        if self.chance(0.85):
            out.append(("", "greeting"))
        return out

    def body(self, lang: str, zone: str = "new_text", paragraphs: int | None = None) -> Lines:
        pack = PACKS[lang]
        out: Lines = []
        n = paragraphs or self.r.choice([1, 1, 2, 2, 3])
        for p in range(n):
            k = self.r.choice([1, 1, 2, 3])
            sentences = self.r.sample(pack["body"], k=min(k, len(pack["body"])))
            if self.chance(0.12) and lang != "ja":
                out.extend((f"{self.pick(['-', '*', '•', '1.'])} {s}", zone) for s in sentences)
            elif lang in ("zh", "ja") and self.chance(0.6):
                out.extend((s, zone) for s in sentences)
            else:
                joiner = "" if lang in ("zh", "ja") else " "
                out.extend((line, zone) for line in self.wrap(joiner.join(sentences), lang))
            if p < n - 1 or self.chance(0.8):
                out.append(("", zone))
        return out

    def closing(self, lang: str, me: dict) -> Lines:
        pack = PACKS[lang]
        style = self.r.random()
        out: Lines = []
        if lang == "ja":
            out.append((self.pick(pack["signoff"]), "closing"))
            if self.chance(0.2):
                out.append((me["last"], "closing"))
        elif style < 0.12:
            out.append((self.pick(["-", "--", "/", "~"]) + me["first"], "closing"))
        elif style < 0.22:
            out.append((self.pick(pack["signoff"]), "closing"))
        else:
            out.append((self.pick(pack["signoff"]), "closing"))
            if self.chance(0.25):
                out.append(("", "closing"))
            out.append((self.pick([me["first"], me["name"], me["name"], me["first"]]), "closing"))
        out.extend(("", "closing") for _ in range(self.r.choice([0, 1, 1, 2])))
        return out

    def signature(self, lang: str, me: dict, *, delimiter: bool | None = None) -> Lines:
        pack = PACKS[lang]
        out: Lines = []
        if lang == "ja" and self.chance(0.7):
            rule = self.pick(["━━━━━━━━━━━━━━━━━━━━━━━━", "――――――――――――――――――", "-" * 40, "=" * 36, "＊" * 20])
            out.append((rule, "signature"))
            out.append((me["company"], "signature"))
            out.append((self.pick(pack["title"]), "signature"))
            out.append((f"{me['name']}（{_ascii(me['first']).title() or 'Taro'} {_ascii(me['last']).title()}）"
                        if self.chance(0.3) else me["name"], "signature"))
            out.append((self.pick(pack["address"]), "signature"))
            out.append((self.pick(pack["phone"]), "signature"))
            out.append((f"E-mail: {me['email']}" if self.chance(0.6) else f"Mail：{me['email']}", "signature"))
            if self.chance(0.5):
                out.append((f"URL: https://www.{me['email'].split('@')[1]}/", "signature"))
            out.append((rule, "signature"))
            return out
        if delimiter is None:
            delimiter = self.chance(0.35)
        if delimiter:
            out.append((self.pick(["-- ", "-- ", "--", "—", "___________________", "---"]), "signature"))
        if self.chance(0.75):
            out.append((me["name"], "signature"))
        if self.chance(0.8):
            t = self.pick(pack["title"])
            out.append((t + (f" | {me['company']}" if self.chance(0.3) else ""), "signature"))
        if self.chance(0.7):
            out.append((me["company"], "signature"))
        if self.chance(0.4):
            out.append((self.pick(pack["address"]), "signature"))
        for _ in range(self.r.choice([1, 1, 2])):
            out.append((self.pick(pack["phone"]), "signature"))
        if self.chance(0.6):
            mail = self.pick([me["email"], f"E-mail: {me['email']}", f"Email: {me['email']}"])
            out.append((mail, "signature"))
        if self.chance(0.45):
            out.append((self.pick([f"www.{me['email'].split('@')[1]}", f"https://{me['email'].split('@')[1]}",
                                   "linkedin.com/in/" + _ascii(me["last"]).lower()]), "signature"))
        if len(out) == (1 if delimiter else 0):
            out.append((me["name"], "signature"))
        out.extend(("", "signature") for _ in range(self.r.choice([0, 1, 1, 2])))
        return out

    def technical(self, zone: str = "new_text") -> Lines:
        """Logs, config and code the author pasted: content, however header- or signature-like."""
        r = self.r
        pool = [
            "2025-03-14 08:12:09 INFO  OrderSync:212 - Opening connection to billing-db",
            "2025-03-14 08:12:40 WARN  OrderSync:231 - Batch 7 timed out, retrying in 30 s",
            "Caused by: com.example.billing.GatewayException: upstream answered 503 after 3 tries",
            "    at com.example.billing.InvoiceService.send(InvoiceService.java:88)",
            "BILLING_HEAP=\"-Xms512m -Xmx2g\"",
            "Impact:  Finance and billing",
            "Window:  Sun 3/9/2025 from 1:00 AM ET to 4:30 AM ET",
            "Outage:  Upgrade of the file servers",
            "Systems affected:  CRM, invoicing",
            "On call:  Service desk  +1 617 555 0142",
            "query: status:open AND owner:me",
            "version: 2.4.1",
            "Host: db01.internal.example.com",
            "$ ls -l /var/log | head",
            "-rw-r--r-- 1 root root 4410 Feb 15 12:32 syslog",
            "SELECT id, name FROM accounts WHERE created_at > '2024-01-01';",
            "curl -X POST https://api.example.com/v1/orders -d '{\"qty\": 3}'",
            "Subject line: Re: quarterly numbers (draft)",
            "Date range: 01/01/2024 - 03/31/2024",
            "Total: 1,250.00 EUR",
        ]
        out = [(line, zone) for line in r.sample(pool, k=r.randint(2, 6))]
        out.append(("", zone))
        return out

    def newsletter(self, lang: str) -> Lines:
        """Bulk mail: headings, headline lists, dates, images and links -- all of it the sender's text."""
        r = self.r
        heads = ["TOP STORIES", "MARKET WRAP", "DEALS & PARTNERSHIPS", "PEOPLE ON THE MOVE",
                 "EVENTS THIS MONTH",
                 "IN THIS ISSUE", "W E E K L Y   D I G E S T", "NEW PRODUCTS", "GRID & RENEWABLES NEWS"]
        sources = ["Northwind Wire", "Harbour Business Daily", "Metro Energy Report", "Evening Ledger",
                   "Coastline Press Agency", "Ledger Online", "Market Desk Radio"]
        d = self.date("en")
        out: Lines = []
        if self.chance(0.4):
            out += [("[IMAGE]", "new_text"), ("", "new_text")]
        if self.chance(0.5):
            out += [(f"{d['monl']} {d['dd']}, {d['y']}", "new_text"), ("", "new_text")]
        if self.chance(0.3):
            out += [("Trouble viewing this message? Open it in your browser", "new_text"),
                    (f"Issue#: e{r.randint(10000, 99999)}", "new_text"),
                    ("", "new_text")]
        for _ in range(r.randint(2, 5)):
            out.append((self.pick(heads), "new_text"))
            for _ in range(r.randint(1, 4)):
                headline = " ".join(self.pick(PACKS["en"]["body"]).split()[: r.randint(4, 9)])
                style = r.random()
                if style < 0.4:
                    out.append(("*" + headline, "new_text"))
                elif style < 0.7:
                    source = f"{self.pick(sources)}- {d['mm']}/{d['dd']}/{d['y'][2:]}"
                    out += [(headline, "new_text"), (source, "new_text")]
                else:
                    out += [(headline, "new_text"),
                            (f"http://www.example.com/news/{r.randint(1000, 9999)}.html", "new_text")]
            out.append(("", "new_text"))
            if self.chance(0.5):
                out += self.body("en" if lang not in PACKS else lang, paragraphs=r.choice([1, 2]))
        if self.chance(0.3):
            out += [("Copyright (c) 2025 Northwind Media Ltd. All rights reserved.", "new_text"),
                    ("", "new_text")]
        return out

    def mobile(self, lang: str) -> Lines:
        out = [(self.pick(PACKS[lang]["mobile"]), "mobile_footer")]
        out.extend(("", "mobile_footer") for _ in range(self.r.choice([0, 1, 1, 2])))
        return out

    def disclaimer(self, lang: str) -> Lines:
        pack = PACKS[lang]
        out: Lines = []
        if self.chance(0.4):
            out.append((self.pick(["_" * 60, "-" * 70, "=" * 50, "*" * 40]), "disclaimer"))
        text = self.pick(pack["disclaimer"])
        if lang in ("zh", "ja"):
            out.append((text, "disclaimer"))
        else:
            width = self.r.choice([70, 76, 100, 200])
            out.extend((line, "disclaimer") for line in textwrap.wrap(text, width=width))
        out.extend(("", "disclaimer") for _ in range(self.r.choice([0, 1])))
        return out

    def banner(self, lang: str) -> Lines:
        text = self.pick(PACKS[lang]["banner"])
        out = [(line, "disclaimer") for line in textwrap.wrap(text, width=self.r.choice([80, 300]))]
        out.extend(("", "disclaimer") for _ in range(self.r.choice([1, 1, 2])))
        return out

    def list_footer(self, lang: str) -> Lines:
        name = self.pick(["riak-users", "dev", "users", "announce", "project-discuss", "solr-user"])
        host = self.pick(["lists.example.org", "lists.basho.com", "mail.python.org", "lists.example.net"])
        style = self.r.randrange(5)
        if lang == "ja" and self.chance(0.5):
            lines = ["━━━━━━━━━━━━━━━━━━━━", "本メールマガジンの配信停止はこちら", f"https://{host}/unsubscribe",
                     "━━━━━━━━━━━━━━━━━━━━"]
        elif style == 0:
            lines = ["_" * 47, f"{name} mailing list", f"{name}@{host}",
                     f"http://{host}/mailman/listinfo/{name}"]
        elif style == 1:
            lines = ["-- ",
                     "You received this message because you are subscribed to the Google Groups "
                     f'"{name}" group.',
                     "To unsubscribe from this group and stop receiving emails from it, send an email to "
                     f"{name}+unsubscribe@googlegroups.com.",
                     "To view this discussion on the web visit "
                     f"https://groups.google.com/d/msgid/{name}/abc123."]
        elif style == 2:
            lines = ["—", "Reply to this email directly, view it on GitHub, or unsubscribe.",
                     "You are receiving this because you were mentioned."]
        elif style == 3:
            lines = ["-" * 69, f"To unsubscribe, e-mail: {name}-unsubscribe@{host}",
                     f"For additional commands, e-mail: {name}-help@{host}"]
        else:
            lines = ["--", f"To unsubscribe from this list: https://{host}/{name}/unsubscribe",
                     "Manage your subscription and email preferences in your account settings."]
        out = [(line, "list_footer") for line in lines]
        out.extend(("", "list_footer") for _ in range(self.r.choice([0, 1])))
        return out

    # --- quote headers ---------------------------------------------------------------------------
    def on_wrote(self, lang: str, who: dict, zone: str = "quote_header") -> Lines:
        pack = PACKS[lang]
        text = self.pick(pack["hdr"]).format(name=who["name"], email=who["email"], **self.date(lang))
        lines = [text]
        split = self.r.random()
        if split < 0.12 and " <" in text:
            a, b = text.split(" <", 1)
            lines = [a, "<" + b] if self.chance(0.5) else [a + " <", b]
        elif split < 0.2 and len(text) > 30 and " " in text[len(text) // 2:]:
            cut = text.rfind(" ", 0, len(text) - 6)
            if cut > 10:
                lines = [text[:cut], text[cut + 1:]]
        elif split < 0.26 and text.count(" ") > 6:
            # Three lines, the way narrow clients wrap: "On Nov 21, 2014," / "at 10:18," / "John <j@x> wrote:"
            words = text.split(" ")
            a, b = len(words) // 3, 2 * len(words) // 3
            lines = [" ".join(words[:a]), " ".join(words[a:b]), " ".join(words[b:])]
        out = [(line, zone) for line in lines]
        if self.chance(0.6):
            out.append(("", zone))
        return out

    def outlook(self, lang: str, who: dict, me: dict, zone: str = "quote_header", *,
                separator: bool | None = None) -> Lines:
        pack = PACKS[lang]
        f_from, f_sent, f_to, f_cc, f_subj = pack["fields"]
        dt = self.pick(pack["date_fmt"]).format(**self.date(lang))
        bold = self.chance(0.15)
        if lang == "fr" and self.chance(0.6):
            colon = " : "
        else:
            colon = ": " if lang not in ("zh", "ja") or self.chance(0.5) else "："

        def field(label: str, value: str) -> str:
            return (f"*{label}:* {value}" if bold else f"{label}{colon}{value}")

        out: Lines = []
        if separator is None:
            separator = self.chance(0.6)
        if separator:
            sep = self.pick([self.pick(pack["original"]), "_" * 32, "-" * 30,
                             "________________________________",
                             self.pick(PACKS["en"]["original"])])
            out.append((sep, zone))
            if self.chance(0.3):
                out.append(("", zone))
        addr = self.pick([f"{who['name']} <{who['email']}>", f"{who['name']} [mailto:{who['email']}]",
                          who["name"],
                          who["email"]])
        to = self.pick([me["name"], f"{me['name']} <{me['email']}>", me["email"]])
        rows = [(f_from, addr), (f_sent, dt), (f_to, to)]
        if self.chance(0.3):
            cc = self.pick([f"{who['first']}; {me['first']}", "team@" + me["email"].split("@")[1]])
            rows.append((f_cc, cc))
        rows.append((f_subj, self.pick(pack["subject"])))
        if self.chance(0.2):
            rows[1], rows[2] = rows[2], rows[1]
        indent = "   " if self.chance(0.05) else ""
        out.extend((indent + field(a, b), zone) for a, b in rows)
        out.extend(("", zone) for _ in range(self.r.choice([1, 1, 1, 2])))
        return out

    def lotus(self, who: dict, me: dict, zone: str = "quote_header") -> Lines:
        """Lotus Notes and old Outlook layouts (English): name and date lines, then To/cc/Subject."""
        d = self.date("en")
        dt = f"{d['mm']}/{d['dd']}/{d['y']} {d['hm12']}"
        org = self.pick(["HOU/ECT", "NA/Corp", "LON/ECT", "Corp/Acme", "US/Sales"])
        style = self.r.randrange(5)
        to = f"{me['name']}/{org}@{org.split('/')[-1]}"
        if style == 0:
            lines = [who["name"], dt, f"To: {to}", "cc: ", f"Subject: {self.pick(PACKS['en']['subject'])}"]
        elif style == 1:
            lines = [f"\tFrom:  {who['name']} @ {org.split('/')[-1].upper()}                           {dt}",
                     "\t", "", f"To: {to}, {who['first']} Jones/{org}@{org.split('/')[-1]}",
                     f"cc: ", f"Subject: {self.pick(PACKS['en']['subject'])}"]
        elif style == 2:
            lines = [f'"{who["name"]}" <{who["email"]}> on {dt}', f"To: <{me['email']}>", "cc:  ",
                     f"Subject: {self.pick(PACKS['en']['subject'])}"]
        elif style == 3:
            lines = [f"-----Original Message-----", f"From: \t{who['last']}, {who['first']}  ",
                     f"Sent:\t{d['wdl']}, {d['monl']} {d['d']}, {d['y']} {d['hm12']}",
                     f"To:\t{me['last']}, {me['first']}; {who['first']} Roe",
                     f"Subject:\tRE: {self.pick(PACKS['en']['subject'])}"]
        else:
            lines = [f"From: {who['name']} on {dt}", f"To: {to}", "cc: ",
                     f"Subject: {self.pick(PACKS['en']['subject'])}"]
        out = [(line, zone) for line in lines]
        out.extend(("", zone) for _ in range(self.r.choice([1, 1, 2])))
        return out

    def lotus_forward(self, me: dict) -> Lines:
        d = self.date("en")
        return [(f"---------------------- Forwarded by {me['name']}/HOU/ECT on {d['mm']}/{d['dd']}/{d['y']} "
                 f"{d['hm12']} ---------------------------", "forwarded"), ("", "forwarded")]

    def quoted(self, lang: str, author: dict, reader: dict, *, prefix: str, zone: str = "quoted",
               depth: int = 1) -> Lines:
        """An older message as it appears under a reply, with its own closing and maybe its own quote."""
        inner: Lines = []
        if self.chance(0.6):
            inner += self.greeting(lang, reader, author)
        inner += self.body(lang, paragraphs=self.r.choice([1, 1, 2, 3, 4, 6]))
        if lang == "en" and self.chance(0.25):
            inner += self.technical()
            inner += self.body(lang, paragraphs=self.r.choice([1, 2]))
        if self.chance(0.7):
            inner += self.closing(lang, author)
        if self.chance(0.2):
            inner += self.signature(lang, author)
        if depth < 3 and self.chance(0.25):
            older = self.person(lang)
            inner += self.on_wrote(lang, older) if self.chance(0.6) else self.outlook(lang, older, author)
            inner += self.quoted(lang, older, author, prefix=prefix if prefix else "", depth=depth + 1)
        while inner and not inner[-1][0].strip():
            inner.pop()
        out: Lines = []
        for line, _ in inner:
            if prefix:
                out.append(((prefix + line) if line else prefix.rstrip(), zone))
            else:
                out.append((line, zone))
        out.extend(("", zone) for _ in range(self.r.choice([0, 1, 1, 2])))
        return out

    def forwarded(self, lang: str, who: dict, me: dict) -> Lines:
        pack = PACKS[lang]
        out: Lines = []
        marker = self.pick(pack["forward"] + PACKS["en"]["forward"][:1])
        out.append((marker, "forwarded"))
        out += self.outlook(lang, who, me, zone="forwarded", separator=False)
        out += self.quoted(lang, who, me, prefix="", zone="forwarded")
        return out


_WEEKDAY_LONG = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split(),
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche".split(),
    "es": "lunes martes miércoles jueves viernes sábado domingo".split(),
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica".split(),
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo".split(),
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag".split(),
    "sv": "måndag tisdag onsdag torsdag fredag lördag söndag".split(),
    "da": "mandag tirsdag onsdag torsdag fredag lørdag søndag".split(),
    "no": "mandag tirsdag onsdag torsdag fredag lørdag søndag".split(),
    "fi": "maanantai tiistai keskiviikko torstai perjantai lauantai sunnuntai".split(),
    "pl": "poniedziałek wtorek środa czwartek piątek sobota niedziela".split(),
    "ru": "понедельник вторник среда четверг пятница суббота воскресенье".split(),
    "uk": "понеділок вівторок середа четвер п'ятниця субота неділя".split(),
    "zh": "星期一 星期二 星期三 星期四 星期五 星期六 星期日".split(),
    "ja": "月曜日 火曜日 水曜日 木曜日 金曜日 土曜日 日曜日".split(),
}

_TRANSLIT = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e", "ç": "c", "á": "a",
                           "í": "i", "ó": "o", "ú": "u", "ñ": "n", "ã": "a", "õ": "o", "ê": "e", "ø": "o",
                           "å": "a", "æ": "ae", "ł": "l", "ś": "s", "ż": "z", "ź": "z", "ć": "c", "ń": "n",
                           "ę": "e", "ą": "a", "É": "E", "Ø": "O", "Å": "A", "Ä": "A", "Ö": "O", "Ü": "U",
                           "Ś": "S", "Ł": "L", "Ż": "Z", "'": ""})


def _ascii(s: str) -> str:
    t = s.translate(_TRANSLIT)
    t = "".join(ch for ch in t if ch.isascii() and (ch.isalnum() or ch in ".-"))
    return t or "user"


# --- message layouts ---------------------------------------------------------------------------
def _top_reply(g: _Gen, lang: str) -> tuple[Lines, str]:
    me, you = g.person(lang), g.person(lang)
    out: Lines = []
    if g.chance(0.06):
        out += g.banner(lang)
    if g.chance(0.7):
        out += g.greeting(lang, you, me)
    out += g.body(lang)
    if g.chance(0.8):
        out += g.closing(lang, me)
    if g.chance(0.35):
        out += g.signature(lang, me)
    if g.chance(0.12):
        out += g.mobile(lang)
    if g.chance(0.12):
        out += g.disclaimer(lang)
    style = g.r.random()
    if style < 0.5:
        out += g.on_wrote(lang, you)
        out += g.quoted(lang, you, me, prefix=g.pick(["> ", "> ", ">", "＞" if lang == "ja" else "> ", "| "]))
    elif style < 0.85:
        out += g.outlook(lang, you, me)
        out += g.quoted(lang, you, me, prefix="")
    else:
        out += g.on_wrote(lang, you)
        out += g.quoted(lang, you, me, prefix="")
    if g.chance(0.05):
        out += g.list_footer(lang)
    return out, "top-posted reply"


def _new_only(g: _Gen, lang: str) -> tuple[Lines, str]:
    me, you = g.person(lang), g.person(lang)
    out: Lines = []
    if g.chance(0.05):
        out += g.banner(lang)
    if g.chance(0.75):
        out += g.greeting(lang, you, me)
    out += g.body(lang)
    if g.chance(0.85):
        out += g.closing(lang, me)
    if g.chance(0.55):
        out += g.signature(lang, me)
    if g.chance(0.2):
        out += g.mobile(lang)
    if g.chance(0.25):
        out += g.disclaimer(lang)
    if g.chance(0.1):
        out += g.list_footer(lang)
    return out, "new message"


def _forward(g: _Gen, lang: str) -> tuple[Lines, str]:
    me, you, boss = g.person(lang), g.person(lang), g.person(lang)
    out: Lines = []
    if g.chance(0.8):
        if g.chance(0.5):
            out += g.greeting(lang, boss, me)
        out += g.body(lang, paragraphs=1)
        if g.chance(0.6):
            out += g.closing(lang, me)
        if g.chance(0.2):
            out += g.signature(lang, me)
    if g.chance(0.1) and lang == "en":
        out += g.lotus_forward(me)
        out += g.quoted(lang, you, me, prefix="", zone="forwarded")
    else:
        out += g.forwarded(lang, you, me)
    return out, "forward"


def _interleaved(g: _Gen, lang: str) -> tuple[Lines, str]:
    me, you = g.person(lang), g.person(lang)
    out: Lines = []
    if g.chance(0.4):
        out += g.greeting(lang, you, me)
    out += g.on_wrote(lang, you)
    prefix = g.pick(["> ", ">"])
    for _ in range(g.r.choice([2, 2, 3])):
        out += [(prefix + line if line else prefix.rstrip(), "quoted")
                for line, _ in g.body(lang, paragraphs=1)
                if line] + [("", "quoted")]
        out += g.body(lang, paragraphs=1)
    if g.chance(0.6):
        out += g.closing(lang, me)
    if g.chance(0.3):
        out += g.signature(lang, me, delimiter=True)
    return out, "interleaved answers"


def _bottom_post(g: _Gen, lang: str) -> tuple[Lines, str]:
    me, you = g.person(lang), g.person(lang)
    out: Lines = g.on_wrote(lang, you)
    out += g.quoted(lang, you, me, prefix="> ")
    if g.chance(0.4):
        out += g.greeting(lang, you, me)
    out += g.body(lang)
    if g.chance(0.7):
        out += g.closing(lang, me)
    if g.chance(0.4):
        out += g.signature(lang, me, delimiter=True)
    if g.chance(0.3):
        out += g.list_footer(lang)
    return out, "bottom-posted reply"


def _mobile_reply(g: _Gen, lang: str) -> tuple[Lines, str]:
    me, you = g.person(lang), g.person(lang)
    out: Lines = g.body(lang, paragraphs=1)
    if g.chance(0.3):
        out += g.closing(lang, me)
    out += g.mobile(lang)
    if g.chance(0.15):
        # Some phone clients append the older message with no header and no ">".
        out += g.quoted(lang, you, me, prefix="")
    elif g.chance(0.5):
        out += g.on_wrote(lang, you)
        out += g.quoted(lang, you, me, prefix=g.pick(["> ", ""]))
    elif g.chance(0.6):
        out += g.outlook(lang, you, me)
        out += g.quoted(lang, you, me, prefix="")
    return out, "reply from a phone"


def _list_mail(g: _Gen, lang: str) -> tuple[Lines, str]:
    me, you = g.person(lang), g.person(lang)
    out: Lines = []
    if g.chance(0.5):
        out += g.greeting(lang, you, me)
    out += g.body(lang)
    if g.chance(0.7):
        out += g.closing(lang, me)
    if g.chance(0.5):
        out += g.signature(lang, me, delimiter=True)
    if g.chance(0.6):
        out += g.on_wrote(lang, you)
        out += g.quoted(lang, you, me, prefix=g.pick(["> ", ">"]))
    out += g.list_footer(lang)
    return out, "mailing-list mail"


def _lotus(g: _Gen, lang: str) -> tuple[Lines, str]:
    me, you = g.person("en"), g.person("en")
    out: Lines = []
    if g.chance(0.4):
        out += g.greeting("en", you, me)
    out += g.body("en")
    if g.chance(0.5):
        out += g.closing("en", me)
    if g.chance(0.2):
        out += [(f"{me['first']} x{g.r.randint(30000, 39999)}", "closing")]
    out += [("", "new_text")] * g.r.choice([0, 1, 2])
    out += g.lotus(you, me)
    out += g.quoted("en", you, me, prefix="")
    if g.chance(0.3):
        older = g.person("en")
        out += g.lotus(older, you, zone="quote_header")
        out += g.quoted("en", older, you, prefix="")
    return out, "Lotus Notes style thread"


_TRICKY = {
    "de": ["Am Montag:", "Am Dienstag haben wir Zeit.", "Von: unserer Seite passt das.",
           "Betreff: siehe unten",
           "Gesendet habe ich die Unterlagen gestern.", "Mit freundlichen Grüßen an das ganze Team in Köln!"],
    "fr": ["Le jeudi :", "Le lundi 15 nous serons fermés.", "De : notre point de vue, c'est bon.",
           "Envoyé de mon bureau, le dossier arrivera plus vite."],
    "es": ["El jueves:", "El lunes 15 estaremos cerrados.", "Enviado desde mi oficina llegará antes."],
    "ja": ["11月20日(金) 14:00", "日時：11月20日 14:00～15:00", "場所：弊社会議室", "件名の件、承知しました。",
           "以下、ご確認ください。", "差出人の住所は以下の通りです。"],
    "zh": ["时间：11月20日 14:00", "地点：三楼会议室", "主题：季度总结"],
}


def _hard_negative(g: _Gen, lang: str) -> tuple[Lines, str]:
    """New text that contains header-, footer- and signature-like phrases but is all the author's."""
    if lang != "en":
        me, you = g.person(lang), g.person(lang)
        out: Lines = g.greeting(lang, you, me) if g.chance(0.6) else []
        for _ in range(g.r.choice([2, 3])):
            if g.chance(0.6):
                out += [(g.pick(_TRICKY.get(lang, _TRICKY["de"])), "new_text")]
            else:
                out += g.body(lang, paragraphs=1)
        out += [("", "new_text")]
        if g.chance(0.7):
            out += g.closing(lang, me)
        return out, "new text with header-like phrases"
    me, you = g.person("en"), g.person("en")
    tricky = [
        "On Thursday:",
        "On Monday:",
        "On the agenda:",
        "01/15/2024 at 2:30 PM",
        "Jan 15, 2024 at 14:30",
        "2024-01-15 14:30:25",
        "Sent from my desk, this was quicker than calling.",
        "Sent from the warehouse this morning: 40 pallets.",
        "Best regards from all of us to all of you!",
        "Note: the prices below exclude VAT.",
        "Update: the call moved to 4 pm.",
        "Impact:  none expected",
        "Contact:  help desk, ext. 4411",
        "On the other hand, we could ship the first batch on Monday.",
        "On Tuesday the team will review the numbers.",
        "From: the finance team's point of view this is fine.",
        "The report was sent from my laptop at the office.",
        "Regards to your colleagues in Berlin!",
        "Thanks to everyone who joined the call.",
        "Date: to be confirmed",
        "-- first item to check",
        "-- second item to check",
        "----",
        "Subject to approval, we can start next week.",
        "Please call me at +1 415 555 0100 if anything is unclear.",
        "John wrote: \"the numbers look good\" in his last report.",
        "function total(a, b) { return a + b; }",
        "Total: 1,250.00 EUR",
        "Order no. 2024-11-27/115",
    ]
    out: Lines = []
    if g.chance(0.5):
        out += g.greeting("en", you, me)
    for _ in range(g.r.choice([2, 3, 4])):
        if g.chance(0.5):
            out += [(g.pick(tricky), "new_text")]
        else:
            out += g.body("en", paragraphs=1)
    out += [("", "new_text")]
    if g.chance(0.7):
        out += g.closing("en", me)
    return out, "new text with header-like phrases"


def _newsletter(g: _Gen, lang: str) -> tuple[Lines, str]:
    out = g.newsletter(lang)
    if g.chance(0.5):
        out += g.list_footer(lang)
    if g.chance(0.3):
        out += g.disclaimer(lang)
    return out, "newsletter"


def _technical(g: _Gen, lang: str) -> tuple[Lines, str]:
    me, you = g.person("en"), g.person("en")
    out: Lines = g.greeting("en", you, me) if g.chance(0.6) else []
    out += g.body("en", paragraphs=1) + g.technical() + g.body("en", paragraphs=g.r.choice([1, 2]))
    if g.chance(0.7):
        out += g.closing("en", me)
    if g.chance(0.5):
        out += g.on_wrote("en", you) if g.chance(0.6) else g.outlook("en", you, me)
        out += g.quoted("en", you, me, prefix=g.pick(["> ", ""]))
    if g.chance(0.3):
        out += g.list_footer("en")
    return out, "technical mail"


_LAYOUTS = [(_top_reply, 40), (_new_only, 14), (_forward, 10), (_interleaved, 6), (_bottom_post, 5),
            (_mobile_reply, 9), (_list_mail, 7), (_hard_negative, 3)]


def generate(per_language: int = 40, english: int = 200, seed: int = SEED) -> list[dict]:
    """The synthetic examples, deterministic for a given seed."""
    rng = random.Random(seed)
    g = _Gen(rng)
    layouts, weights = zip(*_LAYOUTS)
    rows: list[dict] = []
    for lang in LANGS:
        count = english if lang == "en" else per_language
        for k in range(count):
            if lang == "en" and k % 10 == 8:
                lines, note = _lotus(g, lang)
            elif lang == "en" and k % 10 == 9:
                lines, note = _hard_negative(g, lang)
            elif lang == "en" and k % 10 == 7:
                lines, note = (_newsletter if k % 20 == 7 else _technical)(g, lang)
            elif k % 25 == 24:
                lines, note = _newsletter(g, lang)
            else:
                layout = rng.choices(layouts, weights=weights)[0]
                lines, note = layout(g, lang)
            rows.append(_row(f"{lang}-{k:03d}", lang, lines, note))
    return rows


def _row(ident: str, lang: str, lines: Lines, note: str) -> dict:
    text = "\n".join(line for line, _ in lines)
    runs: list[list] = []
    for i, (_, zone) in enumerate(lines):
        if runs and runs[-1][2] == zone and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i, zone])
    new = "\n".join(line for line, zone in lines if zone in ("greeting", "new_text", "closing")).strip("\n")
    return {"id": ident, "lang": lang, "note": note, "text": text, "new_text": new, "zones": runs}


def write(path: Path = EXAMPLES_PATH, **options) -> Path:
    rows = generate(**options)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    print(write())
