"""What a link in data may be: https URLs, mailto addresses, host names.

The loader checks every source URL, operator website and web, app, chat and
e-mail contact with these functions; the renderers ask :func:`is_safe_link`
again before they make anything clickable, so a plan read back from JSON
cannot smuggle a link in either.  Every function answers with the reason a
value is refused, or ``None``.
"""

from __future__ import annotations

import re
import unicodedata


class _Lazy:
    """A regular expression compiled when first used: a plan uses one or
    two of this module's expressions, and with no bytecode cache compiling
    all of them at import cost a fresh process milliseconds."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern)
        return compiled

    def match(self, text: str) -> re.Match[str] | None:
        return self._get().match(text)

    def findall(self, text: str) -> list[str]:
        return self._get().findall(text)


_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
#: A DNS host name in lower-case ASCII (punycode for IDNs), at least two
#: labels, ending in a letter-only or ``xn--`` top-level label: no IP
#: addresses, no trailing dot, no ``localhost``.
_HOST = _Lazy(rf"^(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})$")
#: ASCII characters a URL may hold as written: printable ASCII without
#: space, quotes, angle brackets, backslash, braces, pipe, caret or
#: backtick.  Letters beyond ASCII may appear in the path and query (an
#: IRI, as browsers show it), never in the host; spaces, controls and
#: format characters (bidi overrides) nowhere.
_URL_CHARS = _Lazy(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
_LOCAL_PART = _Lazy(r"^[A-Za-z0-9](?:[A-Za-z0-9._+-]{0,62}[A-Za-z0-9])?$")
#: ``urn:simexit:seed:<id>``: how a claim source names an untrusted article
#: without linking to it.
_SEED_URN = _Lazy(r"^urn:simexit:seed:[a-z0-9_]{1,64}$")
#: Text that starts like a URL scheme (``javascript:``, ``data:``, ``tel:``).
_SCHEME = _Lazy(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")
#: Words in free text that look like a host name (``azercell.com``).
_HOSTLIKE = _Lazy(r"(?i)(?<![\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,63}(?![\w-])")
_MAX_URL = 2000


def host_problem(host: str) -> str | None:
    """Why *host* is not a plain DNS host name, or None."""
    if len(host) > 253 or not _HOST.match(host):
        return (
            f"host {host!r} is not a lower-case DNS name such as 'www.example.com' "
            "(no IP address, port, user name or trailing dot)"
        )
    return None


def on_domains(host: str, domains: tuple[str, ...]) -> bool:
    """True if *host* is one of *domains* or a subdomain of one."""
    return any(host == d or host.endswith("." + d) for d in domains)


def _domains_text(domains: tuple[str, ...]) -> str:
    return ", ".join(domains) if domains else "none declared"


def https_problem(url: str) -> str | None:
    """Why *url* is not a plain ``https://host/...`` URL, or None."""
    if len(url) > _MAX_URL:
        return f"URL is longer than {_MAX_URL} characters"
    if not url.startswith("https://"):
        scheme = url.split(":", 1)[0] if ":" in url else ""
        got = f"a {scheme!r} URL" if scheme and _SCHEME.match(url) else repr(url)
        return f"got {got}, expected an https:// URL"
    rest = url[len("https://") :]
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    ascii_part = "".join(ch for ch in url if ord(ch) < 128)
    if not _URL_CHARS.match(ascii_part) or any(
        unicodedata.category(ch)[0] in "CZ" for ch in url if ord(ch) >= 128
    ):
        return (
            "URL holds a space, control character, quote, angle bracket or "
            "backslash; percent-encode it"
        )
    if not authority.isascii():
        return f"host {authority!r} is not ASCII; write it in punycode (xn--...)"
    if "@" in authority:
        return "URL has a user name (user@host), which hides the real host"
    if ":" in authority or "[" in authority:
        return "URL has an explicit port or an IP literal; give the plain host"
    return host_problem(authority)


def url_host(url: str) -> str:
    """The host of a URL that passed :func:`https_problem`."""
    return re.split(r"[/?#]", url[len("https://") :], maxsplit=1)[0]


def own_url_problem(url: str, domains: tuple[str, ...]) -> str | None:
    """Why *url* is not an https URL on the operator's *domains*, or None."""
    why = https_problem(url)
    if why is not None:
        return why
    host = url_host(url)
    if not on_domains(host, domains):
        return (
            f"host {host!r} is not one of the operator's domains "
            f"({_domains_text(domains)}) or a subdomain of one"
        )
    return None


def mailto_problem(contact: str, domains: tuple[str, ...]) -> str | None:
    """Why *contact* is not ``mailto:name@host`` on *domains*, or None."""
    if not contact.startswith("mailto:"):
        return f"got {contact!r}, expected a mailto: address such as 'mailto:help@example.com'"
    address = contact[len("mailto:") :]
    local, at, host = address.partition("@")
    if not at or not _LOCAL_PART.match(local) or "@" in host:
        return f"got {contact!r}, expected exactly one plain address after mailto: (no query, no list)"
    why = host_problem(host)
    if why is not None:
        return why
    if not on_domains(host, domains):
        return (
            f"e-mail domain {host!r} is not one of the operator's domains "
            f"({_domains_text(domains)}) or a subdomain of one"
        )
    return None


def name_problem(contact: str, domains: tuple[str, ...]) -> str | None:
    """Why *contact* is neither an own https URL nor a plain name, or None.

    App and chat contacts may name the app ("Nar+ app") instead of linking
    to it: such a name holds no scheme, no ``//``, no ``@`` and no host name
    that is off the operator's domains.
    """
    if contact.startswith("https://"):
        return own_url_problem(contact, domains)
    if _SCHEME.match(contact) or "//" in contact or "@" in contact:
        return (
            f"got {contact!r}: expected an https:// URL on the operator's domains "
            "or the plain name of the app or service (no other scheme, no @)"
        )
    if any(ch in contact for ch in "<>[]`\\"):
        return f"got {contact!r}: a name may not hold <, >, [, ], ` or \\"
    for host in _HOSTLIKE.findall(contact):
        if not on_domains(host.lower(), domains):
            return (
                f"names host {host!r}, which is not one of the operator's domains "
                f"({_domains_text(domains)})"
            )
    return None


def source_url_problem(url: str, *, claim: bool) -> str | None:
    """Why *url* cannot be a source's URL, or None.

    Any host may be a source (news, third parties), but only over https and
    without a user name; a claim seen in the wild may instead be named by a
    ``urn:simexit:seed:<id>``, which is never shown as a link.
    """
    if claim and _SEED_URN.match(url):
        return None
    why = https_problem(url)
    if why is not None and claim:
        why += " (or, for a claim source, urn:simexit:seed:<id>)"
    return why


def is_safe_link(url: str) -> bool:
    """True if a renderer may make *url* clickable."""
    return https_problem(url) is None


def is_safe_uri(uri: str) -> bool:
    """True if a renderer may make *uri* clickable as a contact: an https
    URL, ``tel:+`` and an E.164 number, or ``mailto:`` one plain address.
    Any other scheme (``javascript:``, ``data:``, ``http:``) is refused."""
    if uri.startswith("tel:"):
        return tel_problem(uri) is None
    if uri.startswith("mailto:"):
        local, at, host = uri[len("mailto:") :].partition("@")
        return bool(at and _LOCAL_PART.match(local)) and host_problem(host) is None
    return is_safe_link(uri)


#: ``tel:+`` and an E.164 number: a country code (not 0) and at most 15
#: digits in all, nothing else (no spaces, no extension).
_TEL = _Lazy(r"^tel:\+[1-9][0-9]{6,14}$")
#: A contact written as an international number: ``+994 12 490 00 00``.
_INTERNATIONAL = _Lazy(r"^\+[1-9][0-9 ()-]{6,22}$")


def tel_problem(uri: str) -> str | None:
    """Why *uri* is not ``tel:+`` followed by an E.164 number, or None."""
    if not _TEL.match(uri):
        return (
            f"got {uri!r}, expected tel:+ and an international (E.164) number "
            "of 7 to 15 digits, such as 'tel:+994124900000'"
        )
    return None


#: Which uri scheme each channel kind may have (none: always ``None``).
_URI_SCHEMES = {
    "hotline": ("tel",),
    "sms": ("tel",),
    "email": ("mailto",),
    "website": ("https",),
    "app": ("https",),
    "chat": ("https", "tel"),
}


def uri_problem(uri: str, kind: str, domains: tuple[str, ...]) -> str | None:
    """Why *uri* cannot be the uri of a channel of *kind*, or None.

    ``tel:`` needs an E.164 number, ``mailto:`` an address on the
    operator's *domains*, ``https:`` a URL on them; a kind with no address
    of its own (USSD, store, post, ...) has no uri.
    """
    schemes = _URI_SCHEMES.get(kind, ())
    scheme = uri.split(":", 1)[0] if ":" in uri else ""
    if scheme not in schemes:
        allowed = ", ".join(f"{s}:" for s in schemes) or "none (leave it out)"
        return f"got {uri!r}: a {kind} channel's uri may be {allowed}"
    if scheme == "tel":
        return tel_problem(uri)
    if scheme == "mailto":
        return mailto_problem(uri, domains)
    return own_url_problem(uri, domains)


def derived_uri(kind: str, contact: str) -> str | None:
    """The uri a contact gives unambiguously: a ``mailto:`` or ``https://``
    contact itself, and a hotline or SMS number written in international
    form (``+994 …``) as ``tel:+<digits>``; None otherwise (short codes,
    names)."""
    if kind == "email" and contact.startswith("mailto:"):
        return contact
    if kind in ("website", "app", "chat") and contact.startswith("https://"):
        return contact
    if kind in ("hotline", "sms") and _INTERNATIONAL.match(contact):
        uri = "tel:+" + "".join(ch for ch in contact if ch.isdigit())
        return uri if tel_problem(uri) is None else None
    return None


def is_international(uri: str | None) -> bool:
    """True if *uri* is a number that can be dialled from any country."""
    return uri is not None and uri.startswith("tel:+")
