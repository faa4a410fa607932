"""The ACLED event taxonomy and its crosswalk to PLOVER and CAMEO.

ACLED: 3 disorder types, 6 event types, 25 sub-event types, spelled exactly as ACLED
spells them (ACLED Codebook, 2023). The crosswalk gives, for each sub-event type, the
closest CAMEO code and the PLOVER event type that the PLOVER project's own mapping
(openeventdata/PLOVER, "CAMEO to PLOVER conversion table", Draft 0.8, 17 September 2021,
ed. P. Schrodt) assigns to that CAMEO code. tests/test_taxonomy.py checks every pair
against that table.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitrep.errors import ConfigError

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC_DEVELOPMENTS = "Strategic developments"

POLITICAL_VIOLENCE = "Political violence"
DEMONSTRATIONS = "Demonstrations"

EVENT_TYPES: tuple[str, ...] = (
    BATTLES,
    EXPLOSIONS,
    VIOLENCE_AGAINST_CIVILIANS,
    PROTESTS,
    RIOTS,
    STRATEGIC_DEVELOPMENTS,
)

SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    BATTLES: (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    EXPLOSIONS: (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    VIOLENCE_AGAINST_CIVILIANS: (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    PROTESTS: (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    RIOTS: (
        "Violent demonstration",
        "Mob violence",
    ),
    STRATEGIC_DEVELOPMENTS: (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

# ACLED's disorder type of each event type. "Excessive force against protesters" is the one
# sub-event ACLED files under Political violence although its event type is Protests.
DISORDER_TYPES: dict[str, str] = {
    BATTLES: POLITICAL_VIOLENCE,
    EXPLOSIONS: POLITICAL_VIOLENCE,
    VIOLENCE_AGAINST_CIVILIANS: POLITICAL_VIOLENCE,
    PROTESTS: DEMONSTRATIONS,
    RIOTS: DEMONSTRATIONS,
    STRATEGIC_DEVELOPMENTS: STRATEGIC_DEVELOPMENTS,
}


@dataclass(frozen=True)
class Crosswalk:
    """One sub-event type's nearest CAMEO code and the PLOVER type PLOVER maps it to."""

    cameo_code: str | None
    plover_type: str | None

    @property
    def cameo_root(self) -> str | None:
        """The two-digit CAMEO root code."""
        return self.cameo_code[:2] if self.cameo_code else None


# (event type, sub-event type) -> CAMEO code and its PLOVER type per cameo2plover-2021.
# None where neither vocabulary has a counterpart (ACLED's "Other", "Disrupted weapons use").
CROSSWALK: dict[tuple[str, str], Crosswalk] = {
    (BATTLES, "Armed clash"): Crosswalk("193", "ASSAULT"),  # fight with small arms
    (BATTLES, "Government regains territory"): Crosswalk("192", "COERCE"),  # occupy territory
    (BATTLES, "Non-state actor overtakes territory"): Crosswalk("192", "COERCE"),
    (EXPLOSIONS, "Chemical weapon"): Crosswalk("2041", "ASSAULT"),  # chemical/biological
    (EXPLOSIONS, "Air/drone strike"): Crosswalk("195", "ASSAULT"),  # employ aerial weapons
    (EXPLOSIONS, "Suicide bomb"): Crosswalk("1831", "ASSAULT"),  # suicide bombing
    (EXPLOSIONS, "Shelling/artillery/missile attack"): Crosswalk("194", "ASSAULT"),  # artillery
    (EXPLOSIONS, "Remote explosive/landmine/IED"): Crosswalk("1833", "ASSAULT"),  # roadside bomb
    (EXPLOSIONS, "Grenade"): Crosswalk("180", "ASSAULT"),  # unconventional violence
    (VIOLENCE_AGAINST_CIVILIANS, "Sexual violence"): Crosswalk("1821", "ASSAULT"),
    (VIOLENCE_AGAINST_CIVILIANS, "Attack"): Crosswalk("180", "ASSAULT"),
    (VIOLENCE_AGAINST_CIVILIANS, "Abduction/forced disappearance"): Crosswalk("181", "ASSAULT"),
    (PROTESTS, "Peaceful protest"): Crosswalk("141", "PROTEST"),  # demonstrate or rally
    (PROTESTS, "Protest with intervention"): Crosswalk("141", "PROTEST"),
    (PROTESTS, "Excessive force against protesters"): Crosswalk("175", "ASSAULT"),  # repression
    (RIOTS, "Violent demonstration"): Crosswalk("145", "PROTEST"),  # protest violently, riot
    (RIOTS, "Mob violence"): Crosswalk("145", "PROTEST"),
    (STRATEGIC_DEVELOPMENTS, "Agreement"): Crosswalk("057", "SUPPORT"),  # sign formal agreement
    (STRATEGIC_DEVELOPMENTS, "Arrests"): Crosswalk("173", "COERCE"),  # arrest, detain
    (STRATEGIC_DEVELOPMENTS, "Change to group/activity"): Crosswalk("154", "MOBILIZE"),
    (STRATEGIC_DEVELOPMENTS, "Disrupted weapons use"): Crosswalk(None, None),
    (STRATEGIC_DEVELOPMENTS, "Headquarters or base established"): Crosswalk("154", "MOBILIZE"),
    (STRATEGIC_DEVELOPMENTS, "Looting/property destruction"): Crosswalk("171", "COERCE"),
    (STRATEGIC_DEVELOPMENTS, "Non-violent transfer of territory"): Crosswalk("0874", "RETREAT"),
    (STRATEGIC_DEVELOPMENTS, "Other"): Crosswalk(None, None),
}


def is_valid(event_type: str, sub_event_type: str) -> bool:
    """Return True when ``sub_event_type`` is one of ``event_type``'s ACLED sub-event types."""
    return sub_event_type in SUB_EVENT_TYPES.get(event_type, ())


def event_type_of(sub_event_type: str) -> str:
    """Return the event type a sub-event type belongs to.

    Raises:
        ConfigError: the sub-event type is not ACLED's.
    """
    for event_type, subs in SUB_EVENT_TYPES.items():
        if sub_event_type in subs:
            return event_type
    raise ConfigError(f"unknown ACLED sub-event type {sub_event_type!r}")


def disorder_type(event_type: str, sub_event_type: str | None = None) -> str:
    """Return ACLED's disorder type ("Political violence", "Demonstrations", ...)."""
    if event_type not in DISORDER_TYPES:
        raise ConfigError(f"unknown ACLED event type {event_type!r}")
    if sub_event_type == "Excessive force against protesters":
        # ACLED: "Political violence; Demonstrations" — the violence is what is coded first.
        return POLITICAL_VIOLENCE
    return DISORDER_TYPES[event_type]


def crosswalk(event_type: str, sub_event_type: str) -> tuple[str | None, str | None]:
    """Return (PLOVER event type, CAMEO root code) for an ACLED (type, sub-type).

    Raises:
        ConfigError: the pair is not in ACLED's taxonomy.
    """
    try:
        entry = CROSSWALK[(event_type, sub_event_type)]
    except KeyError:
        raise ConfigError(
            f"({event_type!r}, {sub_event_type!r}) is not an ACLED event/sub-event type pair"
        ) from None
    return entry.plover_type, entry.cameo_root
