"""How a mail message reads: headers in any charset, HTML as text, quotes trimmed, bulk."""

from __future__ import annotations

from recruiter_desk.core.mail.reading import (
    decode_text,
    html_to_text,
    is_bulk,
    parse_headers,
    trim_quoted,
)


def test_headers_in_known_and_unknown_charsets() -> None:
    assert decode_text("=?koi8-r?b?8NLJ18XU?=") == "Привет"
    assert decode_text("=?windows-1252?q?Caf=E9?= =?utf-8?q?_na_pra=C3=A7a?=") == "Café na praça"
    # An unknown charset keeps what can be read instead of losing the subject.
    assert decode_text("=?x-unknown?q?Ol=E1?=") == "Olá"


def test_reply_text_without_quotes_or_signature() -> None:
    text = (
        "Yes, Friday works.\n\nOn Tue, 17 Nov 2026 at 10:00, Rita Costa\n<rita@x.org> wrote:\n"
        "> Would Friday work?\n"
    )
    assert trim_quoted(text) == "Yes, Friday works."
    outlook = "Sounds good.\n\n-----Original Message-----\nFrom: Rita\nSent: Monday"
    assert trim_quoted(outlook) == "Sounds good."
    assert trim_quoted("Thanks!\n-- \nAna Lima\nData Lead") == "Thanks!"
    assert trim_quoted("> quoted\nmine\n> more") == "mine"


def test_html_becomes_text_without_styles_or_quoted_thread() -> None:
    html = (
        "<html><head><title>t</title><style>.a{}</style></head><body>"
        "<div>Hi&nbsp;Rita,</div><p>See you <i>soon</i>.</p><script>x()</script>"
        "<blockquote><p>earlier</p></blockquote></body></html>"
    )
    assert html_to_text(html) == "Hi Rita,\n\nSee you soon."


def test_bulk_mail_is_recognised() -> None:
    def bulk(extra: str, sender: str = "a@b.org") -> bool:
        from recruiter_desk.core.mail.reading import addresses

        message = parse_headers(f"From: {sender}\n{extra}\n\nx".encode())
        return is_bulk(message, addresses(message, "From")[0])

    assert bulk("List-Id: <x.lists.org>")
    assert bulk("Precedence: bulk") and bulk("Precedence: junk")
    assert bulk("Auto-Submitted: auto-replied")
    assert bulk("", "noreply@service.org") and bulk("", "do-not-reply+x@service.org")
    assert not bulk("Auto-Submitted: no")
    assert not bulk("", "norah@service.org")
