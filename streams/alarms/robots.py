"""What the DingTalk and WeCom group robots receive (pure: text in, JSON body out).

Both robots render a markdown subset on phones, and the texts we interpolate (an
alarm's message, source and area) carry values from payloads: a visitor's unit, an
appointment id, a device name. In a robot's markdown such a value could become a
link (``[点此核验](http://evil.example/p)``), an image, a coloured or mentioning HTML
tag, a heading or a quote. So every interpolated value goes through the robot's
`…_text` function, which leaves only plain text:

- each character that opens a construct of that robot's markup becomes its
  full-width form (``[`` → ``［``): it reads the same in Chinese text and means
  nothing to the renderer (neither robot documents a backslash escape, so none is
  relied on);
- line breaks and other control characters become a space, so a value cannot start
  a line (headings, quotes, lists start lines); invisible format characters (bidi
  overrides, zero-width) are dropped;
- bare URLs and domain names are defanged (``http：//evil．example``), so a client
  that links URLs by itself finds none;
- each value is cut to `MAX_VALUE` characters (WeCom refuses content over 4096 bytes).

Only our own text (the heading marks around the severity) is markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

MAX_VALUE = 256

# DingTalk robot markdown: headings, > quotes, **bold** / *italic*, [links](…),
# ![images](…), lists, and HTML such as <font color=…>; [x](dingtalk://…) links.
DINGTALK_MARKUP = "[]()!<>*_`#|~&\\"
# WeCom robot markdown: headings, > quotes, **bold**, [links](…), `code`,
# <font color="info|comment|warning">, <@userid> mentions (markdown_v2 adds
# ![images](…), tables and lists).
WECOM_MARKUP = "[]()!<>*_`#|~&\\"

_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(?=//)")
# ASCII boundaries, not \b: in Chinese a domain touches word characters (访客evil.cn).
_DOMAIN = re.compile(
    r"(?<![A-Za-z0-9-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9])"
)
# An underscore between two letters or digits opens no emphasis (water_leak).
_INTRAWORD = re.compile(r"(?<=[A-Za-z0-9])_(?=[A-Za-z0-9])")


def _full_width(chars: str) -> dict[int, str]:
    return {ord(c): chr(ord(c) + 0xFEE0) for c in chars}


_DINGTALK = _full_width(DINGTALK_MARKUP)
_WECOM = _full_width(WECOM_MARKUP)


def _plain(value: object, table: dict[int, str]) -> str:
    text = str(value)[:MAX_VALUE]
    text = _BREAKS.sub(" ", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = _SCHEME.sub(lambda m: m[1] + "：", text)
    text = _DOMAIN.sub(lambda m: m[0].replace(".", "．"), text)
    keep = [m.start() for m in _INTRAWORD.finditer(text)]
    out = list(text.translate(table))
    for at in keep:
        out[at] = "_"
    return "".join(out).strip()


def dingtalk_text(value: object) -> str:
    """`value` as plain text inside a DingTalk markdown message."""
    return _plain(value, _DINGTALK)


def wecom_text(value: object) -> str:
    """`value` as plain text inside a WeCom markdown message."""
    return _plain(value, _WECOM)


def _markdown(
    label: str, title: str, facts: Sequence[tuple[str, str]], plain: Any
) -> str:
    line = "　".join(f"{name}：{plain(value)}" for name, value in facts)
    return f"### 【{plain(label)}】{plain(title)}\n\n{line}"


def dingtalk_message(
    label: str, title: str, facts: Sequence[tuple[str, str]]
) -> dict[str, object]:
    """A DingTalk robot markdown message; `label` is the severity's name, `title`
    what happened, `facts` (our name, its value) pairs. Only our marks are markup."""
    text = _markdown(label, title, facts, dingtalk_text)
    markdown = {"title": dingtalk_text(title), "text": text}
    return {"msgtype": "markdown", "markdown": markdown}


def wecom_message(
    label: str, title: str, facts: Sequence[tuple[str, str]]
) -> dict[str, object]:
    """A WeCom robot markdown message (same arguments as `dingtalk_message`)."""
    content = _markdown(label, title, facts, wecom_text)
    return {"msgtype": "markdown", "markdown": {"content": content}}
