"""Tests for the plain-text segmenter: headline, boilerplate, body/comment boundary, authors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.records import Page, SegmentKind
from sitrep.stages.segment import segment_page
from sitrep.stages.segment_text import (
    author_of,
    author_stamp,
    comment_score,
    find_thread_start,
    is_boilerplate,
    is_headline,
    split_blocks,
    split_text,
)


def test_split_blocks_offsets_and_gaps() -> None:
    text = "  One\nline two\n\nThree\n\n\n\nFour  "
    blocks = split_blocks(text)
    assert [b.text for b in blocks] == ["One\nline two", "Three", "Four"]
    assert [b.gap for b in blocks] == [0, 1, 3]
    for b in blocks:
        assert text[b.start : b.end] == b.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Gunmen kill 12 in attack on village in Zamfara", True),
        ("Why is the ceasefire failing?", True),
        ("Gunmen killed 12 people in the village on Monday.", False),
        ("Photo: AFP", False),
        ("Word", False),
        ("first line\nsecond line", False),
    ],
)
def test_is_headline(line: str, expected: bool) -> None:
    assert is_headline(line) is expected


@pytest.mark.parametrize(
    "block",
    [
        "Illustrative image, By the press office of the ministry.",
        "Photo: Soldiers at a checkpoint.",
        "File photo of the bridge.",
        "Image credit: John Doe",
        "© 2024 Example News",
        "Displaced families wait for aid in Goma. Reuters/Jane Doe",
        "Women queue for water near the camp. Getty Images",
        "Share on Facebook | Twitter | WhatsApp",
        "Facebook Twitter Email",
        "Read more: Why the truce failed",
        "Subscribe to our newsletter",
        "By Jane Doe | Wire Service",
        "Reporting by Jane Doe; Editing by John Roe",
        "Advertisement",
    ],
)
def test_is_boilerplate(block: str) -> None:
    assert is_boilerplate(block)


@pytest.mark.parametrize(
    "block",
    [
        "Police said the photo showed the suspect.",
        "By Tuesday evening, troops had retaken the town.",
        "Shelling killed four people in the city, officials said.",
    ],
)
def test_is_not_boilerplate(block: str) -> None:
    assert not is_boilerplate(block)


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("Jane Doe", ("Jane Doe", "")),
        ("kyiv_watcher", ("kyiv_watcher", "")),
        ("Mark O'Neill IV", ("Mark O'Neill IV", "")),
        ("Wanjiru K. says:", ("Wanjiru K.", "")),
        ("Otieno says: I agree", ("Otieno", "I agree")),
        ("Layla wrote:\nThanks.", ("Layla", "Thanks.")),
        ("Ahmed\n• 3 hours ago\nText", ("Ahmed", "• 3 hours ago\nText")),
    ],
)
def test_author_of(block: str, expected: tuple[str, str]) -> None:
    assert author_of(block) == expected


@pytest.mark.parametrize(
    "block",
    ["The army said so.", "Reply", "2 hours ago", "Comments", "one two three four five six"],
)
def test_author_of_rejects_non_names(block: str) -> None:
    assert author_of(block) is None


def test_comment_score_separates_registers() -> None:
    reporting = (
        "On Monday, gunmen killed five villagers in the district, according to police, "
        "who said troops had been deployed."
    )
    comment = "Why do you people believe this crap?? I think it's all propaganda!"
    assert comment_score(reporting) < 0 < comment_score(comment)


def test_quoted_speech_does_not_count_as_comment() -> None:
    quote = '"I saw them shoot at us, you could hear it everywhere!" a witness told reporters.'
    assert comment_score(quote) <= 0


def _article(*extra: str) -> str:
    return "\n\n".join(
        [
            "Militants attack army base in the north, killing 20",
            "Militants attacked an army base in the north of the country on Monday, killing "
            "20 soldiers, the defence ministry said.",
            "The attackers arrived on motorbikes before dawn, residents said. Troops repelled "
            "the assault after several hours, according to a military source.",
            "The region has seen repeated attacks since 2015.",
            *extra,
        ]
    )


def test_article_without_comments_has_no_thread() -> None:
    parts = split_text(_article("Will the army hold the base? Analysts are not sure."))
    assert parts.comments == ()
    assert parts.body[-1].startswith("Will the army")


def test_thread_header_starts_comments() -> None:
    parts = split_text(_article("Comments", "Good report.", "Thanks for the update."))
    assert parts.body[-1] == "The region has seen repeated attacks since 2015."
    assert [c.text for c in parts.comments] == ["Good report.", "Thanks for the update."]
    assert "Comments" in parts.boilerplate


def test_author_lines_start_comments_and_wide_gaps_split_them() -> None:
    text = (
        _article(
            "Why does nobody ever stop them? I am sick of this!",
            "Jane Roe",
            "You are right. My brother serves there and they have no supplies.",
            "They never learn.",
        )
        + "\n\n\nAnother comment, f***ing useless government!"
    )
    parts = split_text(text)
    assert parts.body[-1] == "The region has seen repeated attacks since 2015."
    authors = [c.author for c in parts.comments]
    assert authors == [None, "Jane Roe", None]
    assert parts.comments[1].text.endswith("They never learn.")


def test_subheading_is_not_an_author() -> None:
    text = _article(
        "Regional Tensions",
        "Neighbouring states have closed their borders, the foreign ministry said on Tuesday.",
    )
    parts = split_text(text)
    assert parts.comments == ()
    assert "Regional Tensions" in parts.body


def test_at_mentions_and_in_reply_lines_set_reply_to() -> None:
    text = _article(
        "Comments",
        "Amal says:\nWhere are the peacekeepers?",
        "Joe says:\n@Amal they left last year.",
        "Kim says:\nIn reply to Joe\nNo, they left in March.",
    )
    parts = split_text(text)
    assert [(c.author, c.reply_to) for c in parts.comments] == [
        ("Amal", None),
        ("Joe", 0),
        ("Kim", 1),
    ]
    assert parts.comments[2].text == "No, they left in March."


def test_max_comments_caps_and_counts() -> None:
    thread = [f"User{i} says:\nThis is comment {i}, you know?" for i in range(30)]
    parts = split_text(_article("Comments", *thread), max_comments=10)
    assert len(parts.comments) == 10 and parts.dropped_comments == 20


def test_find_thread_start_keeps_at_least_one_body_block() -> None:
    blocks = split_blocks("Headline here now\n\nWTF is this?? You idiots!\n\nLOL you morons!!")
    start = find_thread_start(blocks, first_body=1)
    assert start is None or start >= 2


def test_long_text_is_segmented_whole() -> None:
    # Size is for correctness here; speed is measured in bench/, never asserted in tests.
    paragraph = "Troops shelled the village on Monday, killing two people, officials said. " * 5
    thread = "\n\n".join(f"User{i} says:\nWhat do you think, {i}?" for i in range(2000))
    text = "Big headline about the war\n\n" + "\n\n".join([paragraph] * 8000) + "\n\n" + thread
    parts = split_text(text)
    assert len(parts.body) == 8000 and len(parts.comments) == 2000


def test_no_blank_lines_one_huge_block() -> None:
    text = "word " * 400_000
    parts = split_text(text)
    assert len(parts.body) == 1


def _check_spans(text: str) -> None:
    document = segment_page(Page(origin="fuzz", text=text))
    previous_end = -1
    for segment in document.segments:
        assert 0 <= segment.start < segment.end <= len(document.text)
        assert document.text[segment.start : segment.end] == segment.text
        assert segment.start >= previous_end  # in order, never overlapping
        previous_end = segment.end
    for comment in document.comments:
        assert document.text[comment.start : comment.end] == comment.text
        assert comment.reply_to is None or 0 <= comment.reply_to < comment.position
    if document.headline is not None:
        assert document.segments[0].kind is SegmentKind.HEADLINE


_PIECES = st.sampled_from(
    [
        "Jane Doe",
        "says:",
        "Reply",
        "2 hours ago",
        "Comments",
        "Photo: AFP",
        "?",
        "!",
        "@Jane",
        "In reply to Jane",
        "On Monday troops killed 3 people, police said.",
        "You idiots!!",
        "\n",
        "\n\n",
        "\n\n\n",
        " ",
        "\r\n",
        "\u00a0",
        "“",
        "”",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_property_arbitrary_text_segments_exactly(text: str) -> None:
    _check_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=40).map("".join))
def test_property_page_like_text_segments_exactly(text: str) -> None:
    _check_spans(text)


# ── rules added after the first held-out run (docs/decisions/0002-segmentation.md) ─────────


@pytest.mark.parametrize(
    "block",
    [
        "Posted on 14 March 2025 by Jane Doe",
        "Wire | Updated 9:41 AM GMT",
        "Published: 12 May 2025, 08:17",
        "Last updated 3 June 2024",
    ],
)
def test_dateline_is_boilerplate(block: str) -> None:
    assert is_boilerplate(block)


@pytest.mark.parametrize(
    "block",
    [
        "Published in 2019, the report found that 40 people had died.",
        "Updated figures from the ministry show 12 dead.",
        "Posted on the wall of the town hall, the list named 40 people missing since the raid",
    ],
)
def test_dateline_shape_needs_a_short_unfinished_line(block: str) -> None:
    assert not is_boilerplate(block)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("jane_doe • 5 hours ago", ("jane_doe", "5 hours ago")),
        ("Marko V. | 2 days ago", ("Marko V.", "2 days ago")),
        ("Ana Lima — March 3, 2025 at 7:45 pm", ("Ana Lima", "March 3, 2025 at 7:45 pm")),
    ],
)
def test_author_stamp(line: str, expected: tuple[str, str]) -> None:
    assert author_stamp(line) == expected


@pytest.mark.parametrize(
    "line", ["Kyiv • Reuters", "The army said • yesterday", "jane_doe • great point"]
)
def test_author_stamp_needs_a_name_and_a_timestamp(line: str) -> None:
    assert author_stamp(line) is None


def test_initials_inside_a_name() -> None:
    assert author_of("J. Whitaker\nRespect to the soldiers.") == (
        "J. Whitaker",
        "Respect to the soldiers.",
    )
    assert author_of("Mary J. Blige") == ("Mary J. Blige", "")
    assert author_of("He left. Then") is None


def test_name_and_timestamp_on_one_line_start_comments() -> None:
    parts = split_text(
        _article(
            "12 Comments",
            "river_fox • 5 hours ago\nThree more families destroyed.\n14 • Reply • Share ›",
            "Sam T. • 4 hours ago\n@river_fox agreed, every week of delay costs lives.",
        )
    )
    assert [(c.author, c.timestamp, c.reply_to) for c in parts.comments] == [
        ("river_fox", "5 hours ago", None),
        ("Sam T.", "4 hours ago", 0),
    ]
    assert parts.comments[0].text == "Three more families destroyed."


def test_facebook_style_chrome_stays_out_of_comments() -> None:
    parts = split_text(
        _article(
            "Join the conversation",
            "Abebe T.\nPray for the region.\nLike · Reply · 2h",
            "Helen W.\nWhen does it end?\nLike · Reply · 45m · Edited",
            "View 2 more replies",
        )
    )
    assert [c.text for c in parts.comments] == ["Pray for the region.", "When does it end?"]
    assert "View 2 more replies" in parts.boilerplate
    assert "Like · Reply · 45m · Edited" in parts.boilerplate


def test_timestamp_above_author() -> None:
    parts = split_text(
        _article(
            "Comments (3)",
            "2 days ago\nFaisal Omar\nGood news finally, now hold it.",
            "1 day ago\nLiban\nNothing will change without jobs.",
            "5 hours ago\nGrace N.\nStay safe.",
        )
    )
    assert [(c.author, c.timestamp, c.text) for c in parts.comments] == [
        ("Faisal Omar", "2 days ago", "Good news finally, now hold it."),
        ("Liban", "1 day ago", "Nothing will change without jobs."),
        ("Grace N.", "5 hours ago", "Stay safe."),
    ]


def test_condolences_plural_first_person_and_resignation_are_comment_register() -> None:
    assert comment_score("Condolences to the families. May they rest in peace.") >= 1
    assert comment_score("How many times will we read this same story?") >= 2
    assert comment_score("the base is 10 km away and they did nothing, as usual") >= 2
    reporting = "The president offered condolences to the families, his office said on Monday."
    assert comment_score(reporting) <= 0


def test_mild_unmarked_thread_is_found() -> None:
    mild = [
        "How many times will we read this same story? The north has bled for years.",
        "the base is 10 km away and they did nothing, as usual",
        "Condolences to the families. May they rest in peace.",
        "Stop calling them bandits, they are terrorists and should be treated as such!!",
    ]
    parts = split_text(_article(*mild))
    assert [c.text for c in parts.comments] == mild
    assert parts.body[-1] == "The region has seen repeated attacks since 2015."


def test_a_newsroom_we_at_the_end_stays_body() -> None:
    parts = split_text(_article("We will update this story as more information becomes available."))
    assert parts.comments == ()
    assert parts.body[-1].startswith("We will update")


# ── comment-system shapes from the lines-2 dev pages (docs/comments.md §3, 2026-11-25) ──


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Posted by Jacqueline Pierre on 19/05/2025 at 10:14",
            ("Jacqueline Pierre", "19/05/2025 at 10:14"),
        ),
        (
            "Post by steppe_wolf » Fri Nov 08, 2024 6:41 pm",
            ("steppe_wolf", "Fri Nov 08, 2024 6:41 pm"),
        ),
        ("#2 — Ouaga_Lady — 03.02.2025, 18:40", ("Ouaga_Lady", "03.02.2025, 18:40")),
        ("@farid.almaqtari 2 days ago", ("@farid.almaqtari", "2 days ago")),
        ("u/bamenda_boy · 8h", ("u/bamenda_boy", "8h")),
        ("↳ Tural Q. 4h", ("Tural Q.", "4h")),
    ],
)
def test_more_author_and_timestamp_shapes(line: str, expected: tuple[str, str]) -> None:
    assert author_stamp(line) == expected


@pytest.mark.parametrize(
    ("block", "name"),
    [
        ("Anonymous said...\nInternet shut again.", "Anonymous"),
        ("Samuel O., Kisumu\nSad.", "Samuel O."),
    ],
)
def test_blogger_said_and_letters_page_authors(block: str, name: str) -> None:
    found = author_of(block)
    assert found is not None and found[0] == name


@pytest.mark.parametrize(
    "header", ["Readers' comments (4)", "What readers say", "1,204 Comments", "Have your say"]
)
def test_newspaper_thread_titles_start_the_thread(header: str) -> None:
    neutral = "The convoy reached the town in the afternoon and unloaded flour."
    parts = split_text(_article(header, "Samuel O.", neutral))
    assert parts.body[-1] == "The region has seen repeated attacks since 2015."
    assert [c.text for c in parts.comments] == [neutral]


def test_comment_system_chrome_stays_out_of_comments() -> None:
    chrome = [
        "14 △ ▽ • Reply • Share ›",
        "▲ 18 ▼ 2",
        "Report abuse | Recommend (23)",
        "412 points · Reply · Share",
        "level 2",
        "Respect 12",
        "Top fan",
        "Liked by Field notes",
        "Re: Pokrovsk water station",
        "Thermal cameras (Score:4, Informative)",
    ]
    page = _article(
        "Comments", *(f"Jane Doe\nWhere is the army? Nobody protects us.\n{c}" for c in chrome)
    )
    parts = split_text(page)
    assert len(parts.comments) == len(chrome)
    assert all(c.text == "Where is the army? Nobody protects us." for c in parts.comments)


def test_unmarked_short_comments_after_the_article_are_found() -> None:
    comments = [
        "Another village, another week. When will the government treat this as a war?",
        "Praying for the safe return of these women and children.",
        "They pay the ransom and the bandits buy more guns. It never ends.",
        "I am from the north. People there sleep in the bush when they hear motorcycles.",
        "The governor should resign honestly.",
    ]
    parts = split_text(_article(*comments))
    assert [c.text for c in parts.comments] == comments


def test_text_after_the_tags_line_is_read_as_comments() -> None:
    comments = [
        "Finally some justice for the victims.",
        "20 years is nothing for 30 lives. He should never come out.",
        "Well done to the survivors who testified.",
    ]
    parts = split_text(_article("Tags: justice, armed groups", *comments))
    assert [c.text for c in parts.comments] == comments


def test_live_blog_with_relative_times_keeps_its_body() -> None:
    entries = [
        "1h ago\nThe health ministry says a strike on a house killed five people.",
        "2h ago\nWho is taking part? Mediators have been shuttling between the delegations.",
        "3h ago\nWe are now ending our live coverage. You can read our full report here.",
    ]
    parts = split_text(_article(*entries))
    assert parts.comments == ()
    assert parts.body[-3:] == tuple(entries)


def test_timeline_dates_under_a_subheading_are_not_a_thread() -> None:
    entries = [
        "Background",
        "Mar 3\nRebel fighters cut the main road to the coast.",
        "Apr 19\nShelling destroys the city's only water treatment plant.",
        "Jun 2\nThe first aid convoy in two months reaches the city.",
    ]
    parts = split_text(_article(*entries))
    assert parts.comments == ()


def test_a_quoted_post_inside_a_forum_post_is_its_text() -> None:
    post = (
        "Post by Larkspur » Fri Nov 08, 2024 7:15 pm\n"
        "steppe_wolf wrote:\nSame playbook.\nNot quite."
    )
    parts = split_text(_article("Comments", post))
    assert [(c.author, c.text) for c in parts.comments] == [
        ("Larkspur", "steppe_wolf wrote:\nSame playbook.\nNot quite.")
    ]


def test_a_column_in_the_first_person_keeps_its_end() -> None:
    column = [
        "Why does this matter abroad? Because the same pattern repeats wherever a ceasefire is "
        "signed and then forgotten: the fighters go home, but nothing else does.",
        "Hundreds of thousands of people are still displaced. Fighters who were never disarmed "
        "sit idle in towns with no work.",
        "I do not think another war is inevitable. I do think that if we keep calling this "
        "peace, we will be surprised.",
        "Donors should fund salaries, not conferences. And all of us who write about the "
        "region should keep going back.",
    ]
    parts = split_text(_article(*column))
    assert parts.comments == ()
