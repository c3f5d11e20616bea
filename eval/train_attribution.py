"""Train the learned decisions of ``quotes.extract``: ``plugins/quotes/attribution.json``.

    python eval/train_attribution.py /work/shared/corpora/polnear/train --seed 13
        [--parse-cache /tmp/attr-parses] [--folds 5] [--compare]

Runs ``entities.spacy`` and ``quotes.extract`` over a PolNeAR split, keeping every scored
candidate with its features (``plugins/quotes/features.py``), and labels each from the gold:

- a reported-speech candidate is right when at least half of its content's alphanumeric
  characters lie inside one gold Content and its speaker phrase overlaps that relation's
  Source (the attributed-precision test of ``eval/attributions.py``);
- a quotation is right, with a speaker, by the same test; with none, when it lies inside a gold
  Content.

For each of the two models: a logistic regression (scikit-learn, L2, fixed ``--seed``) over the
features seen at least ``--min-count`` times; a cross-validation over articles (``--folds``,
grouped by article) gives out-of-fold scores, on which an isotonic map to a calibrated
probability is fitted; the shipped weights are those of a fit on the whole split. The
threshold for reported speech is ``--threshold`` (0.3, chosen on the first half of dev), or
with ``--choose`` the one that maximises the out-of-fold F-beta of candidates against gold
attributions with a Source (``--beta`` below 1: precision counts more). The quotation model is trained after the reported one, on the quotations as the new
reported decisions leave them. ``--compare`` also cross-validates scikit-learn's
HistGradientBoostingClassifier on the same folds and prints both. ``--cross-validate`` scores
the whole step by cross-validation over articles (article k in fold k mod ``--folds``): both
models refitted without the fold, the fold's articles extracted and scored as
``eval/attributions.py`` scores (the quotation examples are those the shipped reported model
leaves); the shipped file is written last, unchanged by it.

The file holds feature names and weights only, no article text. Never run it on the split
you report figures on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attributions import Counts, alnum, rows, score_article
from polnear import Article, read_split
from quotes import CachedContext

from presspipe import RunContext, config_with_defaults
from presspipe.document import new_document
from presspipe.plugins.quotes import models as models_module
from presspipe.plugins.quotes.extract import Trace
from presspipe.registry import load_registry

OUT = Path(__file__).resolve().parent.parent / "plugins" / "quotes" / "attribution.json"
INSIDE = 0.5


@dataclass
class Examples:
    """Features, labels, article numbers, and for reported speech the gold relation each right
    candidate finds (-1 for none), numbered across the split."""

    features: list[dict[str, float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    gold: list[int] = field(default_factory=list)


def collect(articles: list[Article], context: RunContext, batch: int = 16) -> tuple[dict[str, Examples], int]:
    """The labelled candidates of both models, and the number of gold relations with a Source."""
    registry = load_registry()
    entities_spec = registry.steps["entities.spacy"]
    entities_step = entities_spec.factory(config_with_defaults(entities_spec.config_schema, {}))
    quotes_spec = registry.steps["quotes.extract"]
    extractor = quotes_spec.factory(config_with_defaults(quotes_spec.config_schema, {})).extractor
    examples = {"reported": Examples(), "quotation": Examples()}
    gold_base = 0
    for i in range(0, len(articles), batch):
        chunk = articles[i : i + batch]
        documents = entities_step([new_document(text=a.text, id=a.name) for a in chunk], context)
        for number, (article, document, doc) in enumerate(
            zip(chunk, documents, context.parse(documents), strict=True), start=i
        ):
            text = article.text
            gold = [(alnum(text, a.content), alnum(text, a.source)) for a in article.attributions]
            gold = [g for g in gold if g[0]]
            sourced = [k for k, g in enumerate(gold) if g[1]]
            trace: list[Trace] = []
            extractor.extract(doc, document["entities"], trace)
            for item in trace:
                label, found = _label(text, item, gold)
                target = examples[item.model]
                target.features.append(item.features)
                target.labels.append(label)
                target.groups.append(number)
                target.gold.append(gold_base + sourced.index(found) if found in sourced else -1)
            gold_base += len(sourced)
        context.end_batch()
    return examples, gold_base


def _label(text: str, item: Trace, gold: list[tuple[frozenset[int], frozenset[int]]]) -> tuple[int, int]:
    """(1 if right else 0, the index of the gold relation it finds or -1)."""
    record = item.record
    chars = alnum(text, [(record["start"], record["end"])])
    if not chars:
        return 0, -1
    inside = [k for k, (content, _) in enumerate(gold) if len(chars & content) >= INSIDE * len(chars)]
    speaker = record["speaker"]
    if speaker is None:
        return int(bool(inside)), -1
    start, end = (speaker["start"], speaker["end"]) if isinstance(speaker, dict) else speaker
    speaker_chars = alnum(text, [(start, end)])
    for k in inside:
        if speaker_chars & gold[k][1]:
            return 1, k
    return 0, -1


def fit(examples: Examples, args: argparse.Namespace, name: str) -> tuple[dict[str, Any], Any]:
    """The shipped model (weights, intercept, calibration) and the out-of-fold probabilities."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
    from sklearn.model_selection import GroupKFold

    counts: dict[str, int] = {}
    for features in examples.features:
        for key in features:
            counts[key] = counts.get(key, 0) + 1
    frequent = {k for k, n in counts.items() if n >= args.min_count}
    rows = [{k: v for k, v in f.items() if k in frequent} for f in examples.features]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(rows)
    y = np.array(examples.labels)
    groups = np.array(examples.groups)
    folds = list(GroupKFold(n_splits=args.folds).split(x, y, groups))

    def learner() -> LogisticRegression:
        return LogisticRegression(C=args.c, max_iter=3000, random_state=args.seed)

    oof = np.zeros(len(y))
    for train, test in folds:
        oof[test] = learner().fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    print(
        f"{name}: {len(y)} candidates, {y.mean():.3f} right, {x.shape[1]} features; logistic out-of-fold "
        f"AUC {roc_auc_score(y, oof):.3f}, log loss {log_loss(y, oof):.3f}, Brier {brier_score_loss(y, oof):.3f}"
    )
    if args.compare:
        from sklearn.ensemble import HistGradientBoostingClassifier

        dense = x.toarray().astype(np.float32)
        boosted = np.zeros(len(y))
        began = time.perf_counter()
        for train, test in folds:
            model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, random_state=args.seed)
            boosted[test] = model.fit(dense[train], y[train]).predict_proba(dense[test])[:, 1]
        print(
            f"{name}: gradient boosting out-of-fold AUC {roc_auc_score(y, boosted):.3f}, log loss "
            f"{log_loss(y, boosted):.3f}, Brier {brier_score_loss(y, boosted):.3f} "
            f"({time.perf_counter() - began:.0f} s)"
        )
    isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(oof, y)
    calibrated = isotonic.predict(oof)
    print(f"{name}: calibrated out-of-fold Brier {brier_score_loss(y, calibrated):.3f}")
    final = learner().fit(x, y)
    weights = {
        feature: round(float(w), 4)
        for feature, w in zip(vectorizer.get_feature_names_out(), final.coef_[0], strict=True)
        if abs(w) >= 1e-4
    }
    shipped = {
        "weights": dict(sorted(weights.items())),
        "intercept": round(float(final.intercept_[0]), 4),
        "calibration": {
            "x": [round(float(v), 5) for v in isotonic.X_thresholds_],
            "y": [round(float(v), 5) for v in isotonic.y_thresholds_],
        },
    }
    return shipped, calibrated


def best_threshold(examples: Examples, confidence: Any, gold_total: int, beta: float) -> float:
    """The confidence threshold with the best out-of-fold F-beta of reported candidates."""
    best, best_value = 0.5, -1.0
    for step in range(5, 96):
        threshold = step / 100
        kept = [k for k, c in enumerate(confidence) if c >= threshold]
        if not kept:
            break
        precision = sum(examples.labels[k] for k in kept) / len(kept)
        found = {examples.gold[k] for k in kept if examples.gold[k] >= 0}
        recall = len(found) / max(gold_total, 1)
        if precision + recall == 0:
            continue
        value = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)
        if value > best_value:
            best, best_value = threshold, value
            print(f"  threshold {threshold:.2f}: candidates P {precision:.3f} R {recall:.3f}")
    return best


def subset(examples: Examples, keep: Any) -> Examples:
    """The examples whose article number passes ``keep``."""
    chosen = [k for k, group in enumerate(examples.groups) if keep(group)]
    return Examples(
        [examples.features[k] for k in chosen],
        [examples.labels[k] for k in chosen],
        [examples.groups[k] for k in chosen],
        [examples.gold[k] for k in chosen],
    )


def cross_validate(
    articles: list[Article],
    context: RunContext,
    examples: dict[str, Examples],
    payload: dict[str, Any],
    args: argparse.Namespace,
) -> None:
    """Print the attributed, content and exact figures of the step scored out of fold."""
    registry = load_registry()
    entities_spec = registry.steps["entities.spacy"]
    entities_step = entities_spec.factory(config_with_defaults(entities_spec.config_schema, {}))
    quotes_spec = registry.steps["quotes.extract"]
    quotes_step = quotes_spec.factory(config_with_defaults(quotes_spec.config_schema, {}))
    counts = Counts()
    errors: list[str] = []
    for fold in range(args.folds):
        fold_payload = dict(payload)
        for name in ("reported", "quotation"):
            training = subset(examples[name], lambda group, fold=fold: group % args.folds != fold)
            fold_payload[name], _ = fit(training, args, f"{name} without fold {fold}")
        write(fold_payload, OUT)
        held = articles[fold :: args.folds]
        for i in range(0, len(held), 16):
            chunk = held[i : i + 16]
            documents = entities_step([new_document(text=a.text, id=a.name) for a in chunk], context)
            for article, document in zip(chunk, quotes_step(documents, context), strict=True):
                score_article(article, document, counts, errors)
            context.end_batch()
    print(f"cross-validated over {len(articles)} articles ({args.folds} folds):")
    for name, (p, r, f) in rows(counts):
        print(f"  {name + ':':17} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")


def write(payload: dict[str, Any], out: Path) -> None:
    out.write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    models_module.load_models.cache_clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="a PolNeAR split directory (with text/ and attributions/)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=0.5, help="inverse L2 strength of the logistic regression")
    parser.add_argument("--min-count", type=int, default=3, help="drop features seen fewer times")
    parser.add_argument("--beta", type=float, default=0.8, help="F-beta of the reported-speech threshold")
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.3,
        help="the reported-speech threshold (0.3 was chosen on the first half of dev); with --choose, none",
    )
    parser.add_argument("--choose", action="store_true", help="choose the threshold by out-of-fold F-beta")
    parser.add_argument("--compare", action="store_true", help="cross-validate gradient boosting too")
    parser.add_argument(
        "--cross-validate", action="store_true", help="score the whole step out of fold on the split"
    )
    parser.add_argument("--parse-cache", type=Path, help="keep parses in this directory (under /tmp)")
    args = parser.parse_args()
    if not (args.split / "text").is_dir():
        print(f"{args.split}: no PolNeAR split there; nothing to train.")
        return 0
    articles = read_split(args.split)
    context: RunContext = CachedContext(args.parse_cache) if args.parse_cache else RunContext()
    empty = {"weights": {}, "intercept": 0.0, "calibration": {"x": [], "y": []}}
    payload: dict[str, Any] = {
        "description": "Learned decisions of quotes.extract (eval/train_attribution.py): logistic weights "
        "over feature names, isotonic calibration; no article text.",
        "corpus": args.split.name,
        "articles": len(articles),
        "seed": args.seed,
        "threshold": 0.0,
        "reported": empty,
        "quotation": empty,
    }
    write(payload, OUT)  # every candidate kept and scored 0.5 while collecting
    examples, gold_total = collect(articles, context)
    payload["reported"], confidence = fit(examples["reported"], args, "reported")
    payload["threshold"] = (
        args.threshold
        if not args.choose
        else best_threshold(examples["reported"], confidence, gold_total, args.beta)
    )
    print(f"reported: threshold {payload['threshold']:.2f}")
    write(payload, OUT)
    reported = examples["reported"]
    examples, _ = collect(articles, context)  # the quotations as the reported decisions leave them
    payload["quotation"], _ = fit(examples["quotation"], args, "quotation")
    if args.cross_validate:
        cross_validate(
            articles, context, {"reported": reported, "quotation": examples["quotation"]}, payload, args
        )
    write(payload, OUT)
    print(f"-> {OUT} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
