"""Segment flattened plain text into headline, body, boilerplate and reader comments.

A page flattened to text keeps its paragraphs (blocks between blank lines) but loses its
markup. Each block is scored for how much it reads like reporting and how much like a reader
comment; the comment thread is the suffix of the page with the largest comment score, so one
civil comment or one rhetorical question in the article cannot move the boundary alone.
See docs/decisions/0002-segmentation.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# ── parts shared with the HTML segmenter ─────────────────────────────────────────────────


@dataclass(frozen=True)
class CommentPart:
    """One reader comment before it is placed in the document text."""

    text: str
    author: str | None = None
    timestamp: str | None = None
    reply_to: int | None = None  # position (0-based) of the comment it answers


@dataclass(frozen=True)
class PageParts:
    """A page cut into its parts, each a stripped non-empty string."""

    headline: str | None
    body: tuple[str, ...]
    boilerplate: tuple[str, ...] = ()
    comments: tuple[CommentPart, ...] = ()
    dropped_comments: int = 0


@dataclass(frozen=True)
class Block:
    """A paragraph of the input text and how many blank lines came before it."""

    start: int
    end: int
    text: str
    gap: int  # blank lines before the block (0 for the first)


# ── block shapes ─────────────────────────────────────────────────────────────────────────

_BLANK_RUN = re.compile(r"\n(?:[ \t\f\v\u00a0]*\n)+")

_BOILERPLATE = re.compile(
    r"""^(?:
        (?:illustrative|file|archive|stock|featured|cover|header)\s+(?:image|photo|picture)\b
      | (?:photo|image|picture|video|caption|credit|source|photograph)s?\s*(?:credit)?\s*[:|/]
      | image\s+credit\b | photo\s+credit\b | (?:photo|image)\s+(?:by|via|courtesy)\b
      | ©|\(c\)\s|copyright\b
      | (?:share|tweet|email|print|subscribe|follow\s+us|sign\s+up|download\s+our)\b
      | (?:read|see)\s+(?:more|also)\b | related\s*(?:articles?|stories|news)?\s*:
      | advertisement\b | sponsored\b | (?:all\s+rights\s+reserved)
      | (?:click|tap)\s+here\b
      | (?:this|the)\s+(?:article|story)\s+(?:was|has\s+been)\s+(?:updated|corrected)
      | (?:tags?|topics?|filed\s+under)\s*:
    )""",
    re.I | re.X,
)
# A byline or wire trailer on its own line: "By Jane Doe | Agency", "Reporting by …; Editing by …".
_BYLINE = re.compile(
    r"^(?:(?:written\s+|reporting\s+|editing\s+|additional\s+reporting\s+)?by)\s+[^\n]{2,120}"
    r"(?<![.!?])$",
    re.I,
)
# Credits written after a caption: "…, Reuters/Jane Doe", "Getty Images", "AFP via Getty".
_CREDIT_TAIL = re.compile(
    r"(?:getty\s+images|\b(?:reuters|afp|ap|epa|anadolu|xinhua|tass|sputnik)\s*/\s*\w"
    r"|\bvia\s+getty\b|\bshutterstock\b|©)",
    re.I,
)
# Furniture that closes an article (tags, copyright, a comment policy): text after it is
# rarely more of the article.
_ARTICLE_END = re.compile(
    r"^(?:(?:tags?|topics?|filed\s+under|labels)\s*:|©|\(c\)\s|copyright\b|all\s+rights\s+reserved"
    r"|comments\s+are\s+(?:moderated|closed)|your\s+email\s+address\s+will\s+not)",
    re.I,
)
_SHARE_BAR = re.compile(
    r"^(?:(?:share|facebook|twitter|x|whatsapp|telegram|email|e-mail|print|linkedin|reddit"
    r"|copy\s+link|tweet|pin|vk)\b[\s|•·,/:]*){2,}$",
    re.I,
)
_THREAD_HEADER = re.compile(
    r"^(?:\d[\d,.]*[km]?\s+)?(?:readers?[’']?s?[’']?\s+|your\s+|user\s+)?"
    r"(?:all\s+)?(?:comments?|responses?|replies|thoughts\s+on\b.*|discussion|conversation)"
    r"(?:\s*\(?\d[\d,]*\)?)?\s*:?$"
    r"|^(?:leave|post|add|write|submit)\s+(?:a|your)\s+(?:reply|comment)\b.*$"
    r"|^join\s+the\s+(?:discussion|conversation)\b.*$"
    # a newspaper's own thread titles: "What readers say", "Have your say", "Your views (4)"
    r"|^(?:what\s+(?:our\s+)?(?:readers|you)\s+(?:say|think|said)|have\s+your\s+say"
    r"|(?:your|readers?[’']?s?[’']?)\s+views"
    r"|be\s+the\s+first\s+to\s+comment)\b.{0,20}$"
    r"|^(?:show|view|load)\s+(?:all\s+|more\s+)?\d*\s*comments?\b.*$",
    re.I,
)
# Chrome lines of a comment thread: actions and counters, not anybody's words.
_THREAD_CHROME = re.compile(
    r"^(?:(?:(?:reply|replies|like|likes|liked|dislike|report|share|flag|upvote|downvote|permalink"
    r"|edit|edited|delete|hide|log\s+in\s+to\s+reply|sign\s+in\s+to\s+reply"
    # sorting, sign-in and moderation furniture of comment systems (Coral, Disqus, in-house)
    r"|log\s*in|sign\s+in|newest|oldest|most\s+(?:replied|liked|recent|popular)|featured"
    r"|respect|recommend(?:ed)?|report\s+(?:abuse|comment)|collapse|expand|author|top\s+fan"
    r"|points?|votes?|upvotes?|level\s+\d+|quote|\[(?:removed|deleted)\]"
    r"|commenting\s+as\s+\w+|display\s+posts\s+from\s+previous\b.*"
    r"|liked\s+by\s+[^\n]{1,40}|\d+\s+(?:days?|weeks?|months?|years?)\s+later"
    r"|(?:view|show|load|see)\s+(?:all\s+)?(?:\d+\s+)?(?:more\s+)?(?:\d+\s+)?"
    r"(?:repl(?:y|ies)|comments?)"
    r"|load\s+more(?:\s+comments)?|see\s+more"
    # a compact age at the end of a Facebook-style action row: "Like · Reply · 2h"
    r"|\d+\s*(?:s|m|h|d|w|y|mo|min|mins|hr|hrs|wk|wks|yr|yrs)|\d[\d,.]*[km]?)\b|(?=[△▽▲▼❤♥👍👎↳]))"
    r"[\s•·|›»>+\-–—\d()△▽▲▼❤♥👍👎↳]*){1,6}$"
    # a forum post's subject ("Re: the water station") or a Slashdot score line
    r"|^re\s*:\s*.{0,80}$|^.{0,80}\(score:\s*-?\d[^)]*\)$"
    r"|^sort\s+by\b.{0,30}$|^(?:newest|oldest|best|top)(?:\s+first)?$",
    re.I,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_TIMESTAMP = re.compile(
    r"^[\s•·|]*(?:"
    r"(?:about\s+|an?\s+|\d+\s*)(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?"
    r"|months?|years?|h|d|w|m|y)\s+ago"
    # compact ages and short dates of comment systems: "8h", "3d", "Mar '24", "Mar 3"
    r"|\d{1,2}\s*(?:s|m|h|d|w|y|mo|min|hr|yr)"
    rf"|{_MONTH}\s+(?:['’]\d\d|\d{{1,2}})"
    r"|just\s+now|yesterday(?:\s+at\s+[\d:]+\s*(?:am|pm)?)?"
    rf"|(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4})"
    r"(?:,?\s*(?:at|@|-|–)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?"
    r"(?:\s*[A-Z]{2,4})?)?"
    r")[\s•·|]*(?:\(?(?:edited|reply|report)\b.*)?$",
    re.I,
)
# A dateline of the page rather than its text, one short line: "Posted on 14 March 2025 by
# Jane Doe", "Wire | Updated 9:41 AM GMT", "Published: 12 May 2025, 08:17". The keyword must be
# followed by the date itself, so "Posted on the wall, the list named…" is text.
_DATELINE = re.compile(
    r"^(?:[\w.&\- ]{1,30}\s*[|•·]\s*)?(?:last\s+|first\s+)?(?:posted|published|updated)"
    rf"\s*:?\s*(?:on\s+|at\s+)?(?:\d|{_MONTH}\s|{_WEEKDAY})[^\n]{{0,80}}(?<![.!?])$",
    re.I,
)
_SAYS = re.compile(
    r"^(?P<name>[^\n!?]{1,60}?)\s+(?:says|said|wrote|writes|replied)\s*(?::|\.\.\.|…)\s*"
    r"(?P<rest>.*)$",
    re.I | re.S,
)
# An author and the comment's age on one line: "jane_doe • 5 hours ago", "Jane D. | 2 days ago".
_AUTHOR_STAMP = re.compile(r"^(?P<name>[^\n•·|»]{1,40}?)\s*[•·|—–»]\s*(?P<stamp>[^\n]{2,60})$")
# "Posted by Jane on 19/05/2025 at 10:14", "Post by jane » Fri Nov 08, 2024 6:41 pm", Slashdot's
# "by jane ( 1234 ) on Tuesday March 11, 2025 @02:31PM (#651)": the stamp must hold a digit.
_POSTED_BY = re.compile(
    r"^(?:(?:posted|post|written|submitted|comment(?:ed)?)\s+)?by\s+(?P<name>[^\n]{1,40}?)"
    r"\s*(?:\(\s*\d+\s*\)\s*)?(?:\bon\b|\bat\b|[|•·»—–-])\s*"
    r"(?P<stamp>(?=[^\n]{0,30}\d)[^\n]{2,70})$",
    re.I,
)
# What a list or thread prints before an author: "#3 —", "2.", a reply arrow "↳".
_AUTHOR_LEAD = re.compile(r"^(?:#\d+\s*[—–\-|•·:]?|[↳↪└]+)\s*")
# "Samuel O., Kisumu" / "Halima, Khartoum (now in Cairo)": a letters-page author and town.
_NAME_PLACE = re.compile(
    r"^(?P<name>[^,\n]{1,40}),\s+(?P<place>[^,\n(]{2,30}?)\s*(?:\([^)\n]{1,30}\))?$"
)
_RELATIVE_AGE = re.compile(
    r"\bago\b|\bjust\s+now\b|\byesterday\b|^\W*\d{1,2}\s*(?:s|m|h|d|w|y|mo|min|hr|yr)\W*$", re.I
)
_QUOTE_HEAD = re.compile(r"\bwrote\s*:\s*$", re.I)
_IN_REPLY = re.compile(r"^(?:in\s+)?repl(?:y|ying)\s+to\s+@?(?P<name>[^\n]{1,60})$", re.I)
_AT_NAME = re.compile(r"^@(?P<name>[\w.\-]+(?:\s[A-Z][\w.\-]*){0,2})")
_NAME_TOKEN = re.compile(
    r"^(?:/?u/[\w\-]+|@[\w.\-]+|[A-Z\u00c0-\u00de][\w'’.\-]*|[A-Z]{1,4}\d*|[IVXLC]+|\d[\w\-]*|@?[\w\-]*[_\d][\w\-]*|"
    r"[a-z][a-z0-9]*(?:[A-Z_\d][\w\-]*)+|(?:de|van|von|al|el|bin|ibn|da|di|le|la)|&)$"
)
_INITIAL_END = re.compile(r"(?<=\s[A-Z])\.$")
# An initial before more of the name: "J. Whitaker", "Mary J. Blige" (not a sentence end).
_INITIAL = re.compile(r"(?:(?<=\s)|^)[A-Z]\.(?=\s+[A-Z])")
_CLAUSE_END = re.compile(r"[.!?…:;\"”’)]\s*$")
_SENTENCE_END = re.compile(r"[.!?…;:]\s*$|[.!?]\s+\S")

# ── scoring ──────────────────────────────────────────────────────────────────────────────

# Quotes may run over hard-wrapped lines; the length cap keeps an unclosed quote local.
_QUOTED = re.compile(r"“[^”]{0,1200}”|\"[^\"]{0,1200}\"|‘[^’\n]{0,400}’(?=\W|$)")
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|you're|youre|u|ya|y'all|yall)\b", re.I)
# First person, plural included: a reader speaks for "we"; reporting outside quotes rarely does.
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I’m|Im|I've|I’ve|I'd|I’d|me|my|mine|myself|[Ww]e|[Ww]e're|[Ww]e’re|[Ww]e've"
    r"|[Ww]e’ve|us|[Oo]ur|ourselves)\b"
)
_PROFANITY = re.compile(
    r"\b(?:fuck\w*|f[*'’]+k\w*|shit\w*|bullshit|crap|damn\w*|bastard\w*|bitch\w*|asshole\w*"
    r"|arsehole\w*|dick(?:head)?s?|idiot\w*|moron\w*|stupid|scum\w*|cuck\w*|retard\w*"
    r"|wtf|stfu|lmao|lol|rofl|pathetic|clowns?|morons?|traitors?|puppets?|disgrac\w+"
    r"|disgusting|shameful|shame|useless|liars?|propaganda|hypocrit\w*)\b",
    re.I,
)
_INFORMAL = re.compile(
    r"\.\.(?!\.)|[!?]{2,}|[,;][A-Za-z]|…\s*$|[:;]-?[()DPp]\B"
    r"|\b(?:imo|imho|btw|smh|omg|gonna|wanna|lmao|lol|haha\w*)\b",
    re.I,
)
# Shouting: three capitalised words in a row ("STOP THE WAR"); acronyms come one at a time.
_SHOUTING = re.compile(r"\b[A-Z]{3,}(?:[\s,!]+[A-Z]{2,}){2,}\b")
_OPINION = re.compile(
    r"\b(?:I\s+(?:think|believe|guess|hope|doubt|bet|wonder|agree|disagree)|in\s+my\s+opinion"
    r"|should\s+(?:be|have)|why\s+(?:do|does|did|don't|doesn't|is|are|would|they|we)"
    r"|agree|well\s+said|nonsense|good\s+(?:article|job|riddance)|thanks?\s+for"
    r"|god\s+bless|praying|rip\b|stay\s+strong|wake\s+up"
    # condolence and sympathy formulas of readers; "offered condolences" (reporting) is not one
    r"|^condolences|(?:my|our|deepest|sincere|heartfelt)\s+condolences|rest\s+in\s+peace"
    r"|may\s+(?:god|allah)|pray\s+for|thoughts\s+and\s+prayers|heart\s*breaking|so\s+sad"
    # resignation and sarcasm
    r"|as\s+usual|as\s+always|same\s+old|here\s+we\s+go|yeah\s+right"
    # a reader's verdicts and absolutes: "it never ends", "every time", "the answer is obvious"
    r"|never\s+ends|every\s+(?:single\s+)?time|nobody\s+(?:cares|listens|will|ever)"
    r"|(?:is|was)\s+obvious|honestly|enough\s+is\s+enough|(?:another|one\s+more)\s+\w+,\s+another"
    r"|when\s+will|how\s+many\s+more|(?:should|must)\s+(?:resign|go|stop|act|be\s+ashamed)"
    r"|(?:my|our)\s+(?:thoughts|hearts?|prayers)|peace\s+for|god\s+help"
    r"|well\s+done|good\s+news|finally\s+some|for\s+once|should\s+never"
    r"|(?:is|are)\s+nothing\s+(?:for|compared))\b",
    re.I,
)
_REPORTING = re.compile(
    r"\b(?:according\s+to|said|says|told|reported|reports|confirmed|announced|stated|added"
    r"|claimed\s+responsibility|spokes(?:man|woman|person)|officials?|sources?\s+(?:said|say)"
    r"|witnesses|residents|the\s+(?:army|military|police|ministry|government)\s+(?:said|says)"
    # a newsroom speaking of its own coverage: "our correspondent", "we will update this story"
    r"|our\s+(?:correspondents?|reporters?|(?:live\s+|full\s+)?(?:coverage|report|team))"
    r"|(?:groups?|officials?|analysts?|experts?|residents|witnesses|police|army|ministry"
    r"|government|agenc(?:y|ies)|monitors|media|sources)\s+say"
    r"|live\s+(?:coverage|updates|blog)|(?:this|the)\s+(?:story|page)\s+(?:is|will\s+be)"
    r"\s+updated|as\s+it\s+happens)\b",
    re.I,
)
_DATED = re.compile(
    rf"\b(?:on\s+{_WEEKDAY}|{_WEEKDAY}|(?:on\s+)?{_MONTH}\s+\d{{1,2}}\b|\d{{1,2}}\s+{_MONTH}"
    rf"|(?:in|since|until|by)\s+(?:{_MONTH}|(?:19|20)\d\d)"
    r"|(?:last|next|this|later\s+this|earlier\s+this)\s+(?:week|month|year)|earlier\s+on)\b",
    re.I,
)
_NEWS_FACT = re.compile(
    r"\b(?:killed|killing|wounded|injured|dead|died|attacked|clashed|clashes|struck|airstrikes?"
    r"|shelled|shelling|arrested|abducted|fired|troops|forces|fighters|militants|protesters"
    r"|civilians|casualties|offensive|province|region|district|village|town)\b",
    re.I,
)

# Score of a line that marks a comment thread, and the least suffix score that is a thread.
_MARKER = 4
_THREAD_MIN = 3
_GIVE_UP = 40  # points below the best suffix at which the backward scan stops
_MAX_SCORED = 4000  # characters of a block looked at: keeps scoring linear in page size


def split_blocks(text: str) -> list[Block]:
    """Cut text into paragraphs (runs of non-blank lines), in one linear pass."""
    blocks: list[Block] = []
    pos = 0
    gap = 0
    for match in _BLANK_RUN.finditer(text):
        _add_block(blocks, text, pos, match.start(), gap)
        gap = match.group().count("\n") - 1
        pos = match.end()
    _add_block(blocks, text, pos, len(text), gap)
    return blocks


def _add_block(blocks: list[Block], text: str, start: int, end: int, gap: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = start + lead
    blocks.append(Block(begin, begin + len(stripped), stripped, 0 if not blocks else gap))


def is_headline(line: str) -> bool:
    """Whether a first line is shaped like a headline: one short line, no final full stop."""
    if "\n" in line or len(line) > 250:
        return False
    words = line.split()
    if not 2 <= len(words) <= 30:
        return False
    if line.rstrip().endswith((".", ",", ";", ":")) and not line.rstrip().endswith("..."):
        return False
    return not is_boilerplate(line)


def is_boilerplate(block: str) -> bool:
    """Whether a block is page furniture: a caption, credit, share bar or "Read more" link."""
    first = block.lstrip()[:300]
    if _BOILERPLATE.match(first) or _SHARE_BAR.match(block.strip()[:300]):
        return True
    if _BYLINE.match(block.strip()[:200]):
        return True
    if "\n" not in block.strip() and _DATELINE.match(block.strip()[:130]):
        return True
    # A short caption that ends with a photo agency credit.
    return len(block) < 400 and _CREDIT_TAIL.search(block) is not None


def author_of(block: str) -> tuple[str, str] | None:
    """Return (author, rest) when a block opens with a comment author line, else None.

    An author line is 1–4 name-like tokens with no sentence punctuation, alone on its line
    ("Jane Doe", "kyiv_watcher", "Grey Wolf III"), or "Name says:" / "Name wrote:", or a name
    and a timestamp ("jane_doe • 5 hours ago").
    """
    first, _, rest = block.partition("\n")
    first = first.strip()
    stamped = author_stamp(first)
    if stamped is not None:
        return stamped[0], rest.strip()
    says = _SAYS.match(first)
    if says is not None:
        name = says.group("name").strip(" •·|-–—")
        if _is_name(name, max_tokens=6):
            return name, (says.group("rest") + "\n" + rest).strip()
        return None
    if _is_name(first, max_tokens=4):
        return first, rest.strip()
    placed = _name_place(first)
    if placed is not None:
        return placed, rest.strip()
    return None


def author_stamp(line: str) -> tuple[str, str] | None:
    """Return (author, timestamp) when a line is a name and a timestamp ("name • 2 hours ago").

    Also "Posted by name on <date>", "#3 — name — 03.02.2025, 18:22", "@name 2 days ago" and
    "↳ name 4h": the shapes comment systems print above each comment.
    """
    line = _AUTHOR_LEAD.sub("", line.strip())
    posted = _POSTED_BY.match(line)
    if posted is not None:
        name = posted.group("name").strip(" •·|-–—")
        return (name, posted.group("stamp").strip()) if _is_name(name, max_tokens=4) else None
    found = _AUTHOR_STAMP.match(line)
    if found is not None:
        name, stamp = found.group("name").strip(), found.group("stamp").strip()
        if _TIMESTAMP.match(stamp) and _is_name(name, max_tokens=4):
            return name, stamp
    return _name_space_stamp(line)


def _name_space_stamp(line: str) -> tuple[str, str] | None:
    """(name, stamp) for a name and a timestamp with only a space between ("@jo 2 days ago")."""
    words = line.split()
    # The stamp is at most the last five words ("1 day ago (edited)"); the name the rest.
    for cut in range(max(1, len(words) - 5), len(words)):
        name, stamp = " ".join(words[:cut]), " ".join(words[cut:])
        if _TIMESTAMP.match(stamp) and _is_name(name, max_tokens=4):
            return name, stamp
    return None


def _name_place(line: str) -> str | None:
    """The author of a letters-page line "Samuel O., Kisumu" (a name, a comma, a town)."""
    found = _NAME_PLACE.match(line.strip())
    if found is None:
        return None
    name, place = found.group("name").strip(), found.group("place").strip()
    if _is_name(name, max_tokens=4) and _is_name(place, max_tokens=3):
        return name
    return None


def _is_name(line: str, *, max_tokens: int) -> bool:
    # A final initial ("Wanjiru K.") is part of a name, not the end of a sentence.
    bare = _INITIAL.sub("", _INITIAL_END.sub("", line))
    if not 1 <= len(line) <= 40 or _SENTENCE_END.search(bare):
        return False
    tokens = line.split()
    if not 1 <= len(tokens) <= max_tokens:
        return False
    if not all(_NAME_TOKEN.match(t) for t in tokens):
        return False
    # One capitalised word that is also a thread action ("Reply") is chrome, not a name.
    return not (_THREAD_CHROME.match(line) or _THREAD_HEADER.match(line) or _TIMESTAMP.match(line))


def comment_score(block: str) -> int:
    """How much a paragraph reads like a reader comment rather than reporting (can be < 0)."""
    sample = block[:_MAX_SCORED]
    unquoted = _QUOTED.sub(" ", sample)
    score = 0
    score += "?" in unquoted
    score += "!" in unquoted
    score += _SECOND_PERSON.search(unquoted) is not None
    score += _FIRST_PERSON.search(unquoted) is not None
    score += 2 * (_PROFANITY.search(unquoted) is not None)
    score += _INFORMAL.search(unquoted) is not None or _SHOUTING.search(unquoted) is not None
    score += _OPINION.search(unquoted) is not None
    score += sample[:1].islower()
    score -= _REPORTING.search(unquoted) is not None
    score -= _DATED.search(unquoted) is not None
    score -= len(_NEWS_FACT.findall(unquoted)) >= 2 and score == 0
    return score


def _marker_score(blocks: Sequence[Block], index: int) -> int:
    """Score of a block that is thread furniture (an author line, a timestamp, "Reply")."""
    block = blocks[index].text
    first = _first_line(block)
    if _TIMESTAMP.match(first) and not _THREAD_CHROME.match(first):
        return _stamp_score(blocks, index)
    if _is_furniture(first):
        return _MARKER
    found = author_of(block)
    if found is None:
        return 0
    rest = found[1]
    if _SAYS.match(first) or author_stamp(first) is not None:
        return _MARKER
    if rest:
        # "Name\ncomment…" in one block: a name line glued to the text below it.
        return _MARKER if comment_score(rest) >= 0 else 0
    if index + 1 >= len(blocks):
        return 0
    following = blocks[index + 1].text
    nxt = _first_line(following)
    if _TIMESTAMP.match(nxt) and not _THREAD_CHROME.match(nxt):
        # "Name" then "2 hours ago", unless the stamp heads reporting (a timeline's dates).
        return _stamp_score(blocks, index + 1)
    if _is_furniture(nxt):
        return _MARKER  # "Name" then "Reply"
    # A short capitalised line over reporting or neutral prose is a subheading, not an author.
    score = comment_score(following)
    return _MARKER if score >= 1 else (0 if score == 0 else -1)


def _stamp_score(blocks: Sequence[Block], index: int) -> int:
    """Score of a block headed by a bare timestamp: a marker only over a comment or an author.

    Live blogs head each entry with "1h ago" or "Mar 3" too, over reporting; such a block is
    scored as text (0 here) so that a live blog is not read as a thread.
    """
    rest = blocks[index].text.partition("\n")[2].strip()
    if not rest:
        if index + 1 >= len(blocks):
            return _MARKER
        rest = blocks[index + 1].text
    nxt = _first_line(rest)
    if author_of(rest) is not None or _is_furniture(nxt) or _THREAD_HEADER.match(nxt):
        return _MARKER
    # A comment's age under a lone name ("Hodan" / "12 hours ago"); a timeline's subheading
    # over an absolute date ("Background" / "Mar 3") is not one.
    previous = blocks[index - 1].text if index > 0 else ""
    stamp = _first_line(blocks[index].text)
    if _RELATIVE_AGE.search(stamp) and "\n" not in previous and _is_name(previous, max_tokens=4):
        return _MARKER
    return _MARKER if comment_score(rest) >= 2 else 0


def _short_tail_score(
    block: Block, *, typical: int, body_gap: int, previous: str | None = None
) -> int:
    """Layout signals of a paragraph: short next to the article's paragraphs, or a wider gap.

    Reader comments are mostly one or two sentences, shorter than the article's paragraphs,
    and some page flatteners leave more blank lines between comments than between paragraphs.
    Neither counts for a paragraph with reporting, a date or mostly quoted speech, nor for
    the rest of a sentence cut by a hard wrap (``previous`` text does not end a sentence).
    """
    if previous is not None and not _CLAUSE_END.search(previous[-3:]):
        return 0
    text = block.text[:_MAX_SCORED]
    unquoted = _QUOTED.sub(" ", text)
    if _REPORTING.search(unquoted) or _DATED.search(unquoted) or len(unquoted) < len(text) * 2 / 3:
        return 0
    score = 0
    if "\n" not in text and len(text) <= min(130, typical * 3 // 4):
        score += 1
    if block.gap > body_gap:
        score += 1
    return score


def _article_end(blocks: Sequence[Block], first_body: int) -> int:
    """Index of the first block that closes the article (tags, copyright), or past the end.

    The first third of the page is not looked at: share bars and topics also sit under
    headlines.
    """
    for index in range(first_body + 1 + (len(blocks) - first_body) // 3, len(blocks)):
        if _ARTICLE_END.match(blocks[index].text) or _SHARE_BAR.match(
            _first_line(blocks[index].text)
        ):
            return index
    return len(blocks)


def _layout_baseline(blocks: Sequence[Block], first_body: int) -> tuple[int, int]:
    """(median length, widest gap) of the article's first paragraphs, the norm for later ones."""
    # At most the first half of the page, so that a short article's comments are not in it.
    size = min(5, max(2, (len(blocks) - first_body) // 2))
    head = [b for b in blocks[first_body : first_body + size] if not is_boilerplate(b.text)]
    if not head:
        return 0, 1
    lengths = sorted(len(b.text) for b in head)
    return lengths[len(lengths) // 2], max(1, max(b.gap for b in head))


def find_thread_start(blocks: Sequence[Block], *, first_body: int) -> int | None:
    """Index of the first block of the comment thread, or None when the page has none.

    The thread is the suffix of blocks with the largest summed comment score; it must keep at
    least one body block before it and score at least a few points.
    """
    for index in range(first_body + 1, len(blocks)):
        if _THREAD_HEADER.match(_first_line(blocks[index].text)):
            return index
    best: int | None = None
    best_score = _THREAD_MIN - 1
    total = 0
    typical, body_gap = _layout_baseline(blocks, first_body)
    closed = _article_end(blocks, first_body)
    for index in range(len(blocks) - 1, first_body, -1):
        text = blocks[index].text
        if is_boilerplate(text):
            continue
        marker = _marker_score(blocks, index)
        # Plain paragraphs count one point less: a paragraph needs two comment signals to
        # pull the boundary up by itself, so a stray "?" in the article does not.
        if marker:
            total += marker
        else:
            layout = _short_tail_score(
                blocks[index], typical=typical, body_gap=body_gap, previous=blocks[index - 1].text
            )
            total += comment_score(text) + layout + (index > closed) - 1
        if total > best_score:
            best, best_score = index, total
        elif total < best_score - _GIVE_UP:
            # Far into the article: no earlier start can win back this much, in practice;
            # stopping keeps long articles from being scored paragraph by paragraph.
            break
    return best


def split_text(text: str, *, max_comments: int = 5000) -> PageParts:
    """Cut flattened page text into headline, body, boilerplate and comments.

    Args:
        text: the page as plain text, paragraphs separated by blank lines.
        max_comments: comments kept; the rest are counted in ``dropped_comments``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = split_blocks(text)
    if not blocks:
        return PageParts(headline=None, body=())
    headline: str | None = None
    first_body = 0
    if len(blocks) > 1 and is_headline(blocks[0].text):
        headline = blocks[0].text
        first_body = 1
    thread = find_thread_start(blocks, first_body=first_body)
    end = len(blocks) if thread is None else thread
    body: list[str] = []
    boilerplate: list[str] = []
    for block in blocks[first_body:end]:
        (boilerplate if is_boilerplate(block.text) else body).append(block.text)
    comments: list[CommentPart] = []
    dropped = 0
    if thread is not None:
        comments, chrome, dropped = _group_comments(
            text, blocks[thread:], max_comments=max_comments
        )
        boilerplate.extend(chrome)
    return PageParts(
        headline=headline,
        body=tuple(body),
        boilerplate=tuple(boilerplate),
        comments=tuple(comments),
        dropped_comments=dropped,
    )


@dataclass
class _Open:
    """A comment being gathered."""

    author: str | None
    timestamp: str | None
    start: int | None = None
    end: int | None = None
    lead: str | None = None  # text that sat on the author's line ("Name says: text")
    fresh: bool = True  # no text yet
    reply_name: str | None = None  # from an "In reply to Name" line


def _group_comments(
    text: str, blocks: Sequence[Block], *, max_comments: int
) -> tuple[list[CommentPart], list[str], int]:
    """Group thread blocks into comments: an author line or a wide gap starts a new one."""
    has_authors = any(_author_line(b) is not None for b in blocks)
    has_gaps = any(b.gap >= 2 for b in blocks[1:])
    comments: list[CommentPart] = []
    chrome: list[str] = []
    by_author: dict[str, int] = {}
    dropped = 0
    current: _Open | None = None

    def close() -> None:
        nonlocal current, dropped
        if current is None:
            return
        part = _finish(text, current, by_author)
        current = None
        if part is None:
            return
        if len(comments) >= max_comments:
            dropped += 1
            return
        if part.author is not None:
            # A reply answers the author's latest comment before it.
            by_author[part.author.lower()] = len(comments)
        comments.append(part)

    for block in blocks:
        if _THREAD_HEADER.match(_first_line(block.text)) and "\n" not in block.text:
            chrome.append(block.text)
            continue
        if is_boilerplate(block.text):
            chrome.append(block.text)
            continue
        lines = _lines_of(text, block)
        for start, end in lines:
            line = text[start:end].strip()
            # Some threads put the timestamp above the author ("2 days ago" / "Jane Doe").
            after_stamp = (
                current is not None
                and current.fresh
                and current.author is None
                and current.lead is None
                and current.timestamp is not None
            )
            author = _author_line_text(line, block, start, after_stamp=after_stamp)
            if author is not None:
                stamp = current.timestamp if after_stamp and current is not None else None
                close()
                name, lead, own_stamp = author
                current = _Open(author=name, timestamp=own_stamp or stamp, lead=lead or None)
                if lead:
                    current.fresh = False
                continue
            # A timestamp heading a block after a comment's text opens the next comment, in
            # threads that put the timestamp above the author.
            stamp_first = start == block.start and current is not None and not current.fresh
            if _TIMESTAMP.match(line) and (current is None or current.fresh or stamp_first):
                stamp = line.strip(" •·|")
                if stamp_first:
                    close()
                if current is None:
                    current = _Open(author=None, timestamp=stamp)
                elif current.timestamp is None:
                    current.timestamp = stamp
                else:
                    chrome.append(line)
                continue
            in_reply = _IN_REPLY.match(line)
            if in_reply is not None and (current is None or current.fresh):
                if current is None:
                    current = _Open(author=None, timestamp=None)
                current.reply_name = in_reply.group("name")
                chrome.append(line)
                continue
            if _THREAD_CHROME.match(line) or _THREAD_HEADER.match(line):
                chrome.append(line)
                continue
            new_block = start == block.start
            starts_new = (
                new_block
                and current is not None
                and not current.fresh
                and (block.gap >= 2 or (not has_authors and not has_gaps))
            )
            if current is None or starts_new:
                close()
                current = _Open(author=None, timestamp=None)
            if current.start is None:
                current.start = start
            current.end = end
            current.fresh = False
    close()
    return comments, chrome, dropped


def _is_furniture(line: str) -> bool:
    """A thread action, timestamp or "In reply to" line."""
    return bool(_THREAD_CHROME.match(line) or _TIMESTAMP.match(line) or _IN_REPLY.match(line))


def _first_line(text: str) -> str:
    return text[:300].partition("\n")[0].strip()


def _lines_of(text: str, block: Block) -> list[tuple[int, int]]:
    """(start, end) of the non-blank lines of a block, or the whole block when it is one line."""
    if "\n" not in block.text:
        return [(block.start, block.end)]
    out: list[tuple[int, int]] = []
    pos = block.start
    while pos < block.end:
        nl = text.find("\n", pos, block.end)
        stop = block.end if nl == -1 else nl
        if text[pos:stop].strip():
            out.append((pos, stop))
        pos = stop + 1
    return out


def _author_line(block: Block) -> str | None:
    found = author_of(block.text)
    if found is None:
        return None
    first = block.text.partition("\n")[0].strip()
    # A lone name line is only an author when it stands alone or heads a short header.
    if _SAYS.match(first) or author_stamp(first) or not found[1] or "\n" in block.text:
        return found[0]
    return None


def _author_line_text(
    line: str, block: Block, start: int, *, after_stamp: bool = False
) -> tuple[str, str, str] | None:
    """(author, text after "says:", timestamp) when this line is an author line of the thread.

    Args:
        after_stamp: the line follows a timestamp that opened a comment with no author yet.
    """
    says = _SAYS.match(line)
    if says is not None:
        name = says.group("name").strip(" •·|-–—")
        # Inside a block, a bare "Name wrote:" heads a quotation in a forum post, not a post.
        if start != block.start and _QUOTE_HEAD.search(line):
            return None
        if _is_name(name, max_tokens=6):
            return name, says.group("rest").strip(), ""
        return None
    stamped = author_stamp(line)
    if stamped is not None:
        return stamped[0], "", stamped[1]
    # A lone name line only counts at the head of a block or right under a timestamp, so
    # that a one-word sentence inside a comment ("Nope") is not taken for a new author.
    if start == block.start or after_stamp:
        if _is_name(line, max_tokens=4):
            return line, "", ""
        placed = _name_place(line)
        if placed is not None:
            return placed, "", ""
    return None


def _finish(text: str, current: _Open, by_author: dict[str, int]) -> CommentPart | None:
    body = text[current.start : current.end].strip() if current.start is not None else ""
    if current.lead:
        body = f"{current.lead}\n{body}".strip() if body else current.lead
    if not body:
        return None
    reply_to: int | None = None
    if current.reply_name is not None:
        reply_to = _find_author(current.reply_name, by_author)
    elif (target := _AT_NAME.match(body)) is not None:
        reply_to = _find_author(target.group("name"), by_author)
    return CommentPart(
        text=body, author=current.author, timestamp=current.timestamp, reply_to=reply_to
    )


def _find_author(name: str, by_author: dict[str, int]) -> int | None:
    name = name.strip().rstrip(".,:").lower()
    if name in by_author:
        return by_author[name]
    # "@Wanjiru" answers "Wanjiru K.": match on the longest known author the mention starts.
    for known, position in by_author.items():
        if known.startswith(name) or name.startswith(known):
            return position
    return None
