"""The pattern tables as features: every listed language's headers and footers are recognised."""

from __future__ import annotations

import pytest

from nlp.zoning.features import BASE, line_base_features

B = {name: i for i, name in enumerate(BASE)}

QUOTE_HEADERS = {
    "en": "On Tue, Mar 1, 2011 at 6:02 PM, Bob <bob@example.com> wrote:",
    "de": "Am 13.12.2017 21:11 schrieb \"John Doe\" <j.doe@example.de>:",
    "fr": "Le lun. 15 nov. 2021 à 19:42, John <john@example.fr> a écrit :",
    "es": "El lun, 15 nov 2021 a las 19:42, Juan (<juan@example.es>) escribió:",
    "it": "Il giorno lun 15 nov 2021 alle ore 19:42 Marco <marco@example.it> ha scritto:",
    "pt": "Em seg., 15 de nov. de 2021 às 19:42, João <joao@example.pt> escreveu:",
    "nl": "Op ma 15 nov. 2021 om 19:42 schreef Jan <jan@example.nl>:",
    "sv": "Den mån 15 nov. 2021 kl 19:42 skrev Anna <anna@example.se>:",
    "da": "Den 15. nov. 2021 kl. 19.42 skrev Peter <peter@example.dk>:",
    "no": "man. 15. nov. 2021 kl. 19:42 skrev Ola <ola@example.no>:",
    "fi": "ma 15. marrask. 2021 klo 19.42 Mikko (mikko@example.fi) kirjoitti:",
    "pl": "pon., 15 lis 2021 o 19:42 Jan <jan@example.pl> napisał(a):",
    "ru": "15.11.2021 19:42, Иван Петров пишет:",
    "uk": "15 листопада 2021 р. о 19:42 <olena@example.ua> написав:",
    "zh": "在 2021年11月15日 19:42，王伟 <wang@example.cn> 写道：",
    "ja": "2024年1月1日(月) 10:00 山田太郎 <t.yamada@example.co.jp>:",
}

OUTLOOK_FROM = ["From: Bob", "Von: Bob", "De : Bob", "Da: Bob", "Van: Bob", "Från: Bob", "Fra: Bob", "Od: Bob",
                "От: Боб", "Від: Боб", "发件人: 王伟", "差出人: 山田太郎", "Lähettäjä: Mikko", "*From:* Bob", "De: Bob"]
OUTLOOK_SENT = ["Sent: Monday", "Gesendet: Montag", "Envoyé : lundi", "Inviato: lunedì", "Verzonden: maandag",
                "Skickat: måndag", "Sendt: mandag", "Wysłano: poniedziałek", "Отправлено: понедельник",
                "Надіслано: понеділок", "发送时间: 2021年11月15日", "送信日時: 2021年11月15日", "Enviado: lunes",
                "Lähetetty: maanantai"]
FORWARDS = ["---------- Forwarded message ---------", "Begin forwarded message:",
            "-------- Weitergeleitete Nachricht --------", "-------- Message transféré --------",
            "---------- Mensaje reenviado ---------", "---------- Messaggio inoltrato ---------",
            "---------- Mensagem encaminhada ---------", "---------- Doorgestuurd bericht ---------",
            "---------- Vidarebefordrat meddelande ---------", "---------- Videresendt meddelelse ----------",
            "---------- Videresendt melding ----------", "---------- Välitetty viesti ---------",
            "---------- Przekazana wiadomość ---------", "-------- Пересылаемое сообщение --------",
            "---------- Переслане повідомлення ---------", "-------- 转发的邮件 --------",
            "-------- 転送メッセージ --------"]
ORIGINALS = ["-----Original Message-----", "-----Ursprüngliche Nachricht-----", "-------- Message d'origine --------",
             "-----Mensaje original-----", "-----Messaggio originale-----", "-----Mensagem original-----",
             "-----Oorspronkelijk bericht-----", "-----Ursprungligt meddelande-----",
             "-----Oprindelig meddelelse-----",
             "-----Opprinnelig melding-----", "-----Alkuperäinen viesti-----",
             "-----Oryginalna wiadomość-----",
             "-----Исходное сообщение-----", "-----Оригінальне повідомлення-----", "-----原始邮件-----",
             "-----元のメッセージ-----"]
MOBILE = ["Sent from my iPhone", "Envoyé de mon iPad", "Von meinem iPhone gesendet", "iPhoneから送信",
          "Get Outlook for Android", "Enviado desde mi iPhone", "Inviato da iPhone", "Enviado do meu iPhone",
          "Verzonden vanaf mijn iPhone", "Skickat från min iPhone", "Sendt fra min iPhone",
          "Lähetetty iPhonesta",
          "Wysłane z iPhone'a", "Отправлено с iPhone", "Надіслано з iPhone", "发自我的iPhone"]
SIGN_OFFS = ["Best regards,", "Mit freundlichen Grüßen", "Cordialement,", "Saludos,", "Cordiali saluti,",
             "Atenciosamente,", "Met vriendelijke groet,", "Med vänlig hälsning", "Med venlig hilsen",
             "Med vennlig hilsen", "Ystävällisin terveisin", "Pozdrawiam,", "С уважением,", "З повагою,",
             "此致",
             "よろしくお願いいたします。", "以上、よろしくお願いいたします。"]
GREETINGS = ["Hi Anna,", "Sehr geehrte Frau Weber,", "Bonjour Sophie,", "Hola Carlos,", "Ciao Marco,", "Olá João,",
             "Beste Jan,", "Hej Anna,", "Kære Peter,", "Hei Ola,", "Hei Mikko,", "Dzień dobry,",
             "Здравствуйте!",
             "Добрий день!", "您好！", "お世話になっております。", "いつもお世話になっております。"]


def feature(line: str, name: str) -> bool:
    return bool(line_base_features([line])[0, B[name]])


@pytest.mark.parametrize("lang", sorted(QUOTE_HEADERS))
def test_quote_header_cues(lang: str) -> None:
    line = QUOTE_HEADERS[lang]
    assert feature(line, "verb_end") or feature(line, "addr_colon_end"), line
    assert feature(line, "date") or feature(line, "time"), line


@pytest.mark.parametrize("line", OUTLOOK_FROM)
def test_outlook_from_fields(line: str) -> None:
    assert feature(line, "f_from")


@pytest.mark.parametrize("line", OUTLOOK_SENT)
def test_outlook_sent_fields(line: str) -> None:
    assert feature(line, "f_sent")


@pytest.mark.parametrize("line", FORWARDS)
def test_forward_markers(line: str) -> None:
    assert feature(line, "forward")


@pytest.mark.parametrize("line", ORIGINALS)
def test_original_message_markers(line: str) -> None:
    assert feature(line, "original")


@pytest.mark.parametrize("line", MOBILE)
def test_mobile_footers(line: str) -> None:
    assert feature(line, "mobile")


@pytest.mark.parametrize("line", SIGN_OFFS)
def test_sign_offs(line: str) -> None:
    assert feature(line, "signoff")


@pytest.mark.parametrize("line", GREETINGS)
def test_greetings(line: str) -> None:
    assert feature(line, "greeting") or feature(line, "ja_name")


def test_quoted_lines_and_full_width_marker() -> None:
    assert feature("> quoted", "prefixed") and feature("＞ 引用", "prefixed") and feature(">> deeper", "prefix_deep")


def test_a_sentence_is_not_a_sign_off() -> None:
    assert not feature("Thanks for sending the proposal, it looks good.", "signoff")
    assert not feature("Sent from my desk, this was quicker.", "signoff")
