"""TR-News dev figure: resolve_place(phrase, country=country_focus(article)), accuracy @161 km.

    .venv/bin/python scripts/trnews_eval.py [CACHE_DIR] [--places]

Reads ../shared/eval/tr-news-geoparsing.xml (dev data: measured, never tuned on silently;
see docs/decisions/0003-geocoding.md). Prints accuracy for all toponyms, non-demonyms and
populated places, and the number of abstentions; mean and median error (km) over the
toponyms that got coordinates; accuracy @10 km.
"""
import math, statistics, sys, time
import xml.etree.ElementTree as ET
from pathlib import Path
from sitrep.adapters.gazetteer.packaged import PackagedGazetteer
from sitrep.records import Document, Segment, SegmentKind
from sitrep.stages.geocode import country_focus, resolve_place

def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2-la1)/2)**2 + math.cos(la1)*math.cos(la2)*math.sin((lo2-lo1)/2)**2
    return 6371 * 2 * math.asin(min(1, math.sqrt(h)))

args = [a for a in sys.argv[1:] if not a.startswith("--")]
# --places: pass the article's other toponyms as resolve_place(places=...) (distance scoring).
with_places = "--places" in sys.argv
kw = {"cache_dir": args[0]} if args else {}
g = PackagedGazetteer(**kw); g.load()
root = ET.parse(str(Path(__file__).resolve().parents[2] / "shared" / "eval" / "tr-news-geoparsing.xml")).getroot()
stats = {k: [0, 0] for k in ("all", "nondemonym", "P")}
abstain = 0
errors: list[float] = []
within10 = 0
t = time.perf_counter()
for art in root.iter("article"):
    title = (art.findtext("title") or "").strip(); body = art.findtext("text") or ""
    text = f"{title}\n\n{body}"; s = len(title) + 2
    doc = Document(id=art.get("docid"), origin="trnews", text=text, headline=title,
                   segments=(Segment(SegmentKind.HEADLINE, 0, len(title), title), Segment(SegmentKind.BODY, s, len(text), body)))
    focus = country_focus(doc, g)
    named = [t.findtext("phrase").strip() for t in art.iter("toponym")]
    for top in art.iter("toponym"):
        tag = top.find("gaztag")
        if tag is None or tag.findtext("lat") is None: continue
        phrase = top.findtext("phrase").strip(); gold = (float(tag.findtext("lat")), float(tag.findtext("lon")))
        others = [p for p in named if p != phrase] if with_places else []
        res = resolve_place(phrase, country=focus, places=others, gazetteer=g)
        err = km((res.place.latitude, res.place.longitude), gold) if res.place is not None and res.place.latitude is not None else None
        ok = err is not None and err <= 161
        if err is not None:
            errors.append(err); within10 += err <= 10
        abstain += res.place is None
        demonym = tag.findtext("name").strip().casefold() != phrase.casefold() and phrase[-1:] in "nhis" and g.country(phrase) is None and phrase.endswith(("an", "ish", "ese", "i"))
        keys = ["all"] + ([] if demonym else ["nondemonym"]) + (["P"] if tag.findtext("fclass") == "P" else [])
        for k in keys: stats[k][0] += ok; stats[k][1] += 1
print({k: f"{a/b:.3f} ({a}/{b})" for k, (a, b) in stats.items()}, "abstentions", abstain, f"{time.perf_counter()-t:.1f}s")
print(f"answered {len(errors)}: mean error {statistics.mean(errors):.0f} km, median {statistics.median(errors):.1f} km, @10 km {within10 / stats['all'][1]:.3f}")
