"""What the article has established so far, as the events stage reads it sentence by sentence."""

from __future__ import annotations

from dataclasses import dataclass, field

from sitrep.records import Actor, Mention
from sitrep.stages.locations import PlacePhrases


@dataclass
class _Context:
    """What the article has established so far, sentence by sentence."""

    country: str | None
    country_names: tuple[str, ...]
    armed_groups: list[Actor] = field(default_factory=list)  # most recent first
    places: list[str] = field(default_factory=list)
    # The last sentence that named a place: a later sentence without one happened there.
    last_place: PlacePhrases | None = None
    attribution: tuple[str, ...] = ()
    paragraph_attribution: tuple[str, ...] = ()  # the sources the current paragraph relays
    previous: Mention | None = None  # the article's last event, which a sentence may continue
    lede: Mention | None = None  # the article's first occurred event: the story's date
    accident: bool = False  # the last harm told was an accident: its details are no new event

    def name_armed_group(self, actor: Actor) -> None:
        """Make ``actor`` the most recent armed group, for later "the group" references."""
        self.armed_groups = [actor, *(a for a in self.armed_groups if a.name != actor.name)]
