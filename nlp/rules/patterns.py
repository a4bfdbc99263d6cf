"""Labels that mean the same thing on web forms, as data: a learned label gains its group's synonyms.

Each group is one concept; its labels are compared after NFKC and case folding (``norm_label``).
"""

from __future__ import annotations

from nlp.rules.html_tables import norm_label

__all__ = ["LABEL_GROUPS", "synonyms_of", "FIELD_LANGUAGE_HINTS"]

LABEL_GROUPS: tuple[tuple[str, ...], ...] = (
    # full name
    ("Name", "Full name", "Your name", "Contact name", "Customer name",
     "お名前", "氏名", "名前", "ご氏名", "ご担当者名", "担当者名",  # Japanese
     "Vollständiger Name", "Nom complet"),  # German, French
    # given name
    ("First name", "Given name", "Forename", "Firstname", "Vorname", "Prénom"),
    # family name
    ("Last name", "Surname", "Family name", "Lastname", "Nachname", "Nom de famille", "姓"),
    # email
    ("Email", "E-mail", "Email address", "E-mail address", "Your email", "Mail", "Mail address",
     "メールアドレス", "メール", "Eメール", "E-Mail-Adresse"),
    # phone
    ("Phone", "Telephone", "Tel", "Phone number", "Telephone number", "Contact number",
     "電話番号", "電話", "お電話番号", "TEL", "Telefon", "Telefonnummer", "Téléphone"),
    # mobile
    ("Mobile", "Mobile phone", "Cell", "Cell phone", "携帯電話", "携帯番号", "携帯", "Handy", "Mobil"),
    # company
    ("Company", "Company name", "Organization", "Organisation", "Business", "Business name",
     "会社名", "御社名", "貴社名", "企業名", "法人名", "所属", "Firma", "Unternehmen", "Société", "Entreprise"),
    # job title
    ("Job title", "Title", "Position", "Role", "役職", "役職名", "Berufsbezeichnung", "Poste"),
    # department
    ("Department", "Dept", "部署", "部署名", "Abteilung"),
    # message
    ("Message", "Comments", "Comment", "Inquiry", "Enquiry", "Your message", "Details",
     "お問い合わせ内容", "ご用件", "内容", "ご質問", "Nachricht", "Anfrage"),
    # website
    ("Website", "Web site", "URL", "Homepage", "ホームページ", "Webサイト", "Webseite", "Site web"),
    # address
    ("Address", "Street address", "住所", "ご住所", "所在地", "Adresse", "Anschrift"),
    # postal code
    ("Zip", "Zip code", "Postal code", "Postcode", "郵便番号", "PLZ", "Postleitzahl", "Code postal"),
    # city
    ("City", "Town", "市区町村", "Stadt", "Ort", "Ville"),
    # country
    ("Country", "国", "国名", "Land", "Pays"),
    # amount
    ("Amount", "Total", "Price", "Budget", "Order total", "金額", "合計", "予算", "ご予算", "Betrag", "Montant"),
)

_GROUP_OF = {norm_label(label): group for group in LABEL_GROUPS for label in group}

# Languages to read dates in when the sample is written in a script.
FIELD_LANGUAGE_HINTS = {"ja": ["ja", "en"], "en": ["en"]}


def synonyms_of(label: str) -> list[str]:
    """The other labels of ``label``'s group (none when it is in no group)."""
    group = _GROUP_OF.get(norm_label(label), ())
    return [other for other in group if norm_label(other) != norm_label(label)]
