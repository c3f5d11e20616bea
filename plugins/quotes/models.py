"""The learned decisions of ``quotes.extract``: two logistic models and their calibration.

``attribution.json`` (written by ``eval/train_attribution.py`` from PolNeAR train; weights and
feature names only) holds, for each model (``reported``: is a reported-speech candidate an
attribution with its speaker; ``quotation``: is a quotation's speaker right), the weights of
a logistic regression over the features of ``features.py`` and an isotonic map from its score
to a calibrated probability, fitted on out-of-fold scores of a cross-validation over train
articles. Scoring is a sum over a dictionary: no library is needed at run time.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources

from presspipe.plugins.quotes.features import Features


@dataclass(frozen=True)
class Model:
    """A logistic regression with an isotonic calibration (piecewise linear, non-decreasing)."""

    weights: dict[str, float]
    intercept: float
    calibration_x: tuple[float, ...]
    calibration_y: tuple[float, ...]

    def score(self, features: Features) -> float:
        """The uncalibrated probability."""
        weights = self.weights
        z = self.intercept + sum(weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def confidence(self, features: Features) -> float:
        """The calibrated probability that the candidate is right, in [0, 1]."""
        return calibrate(self.score(features), self.calibration_x, self.calibration_y)


def calibrate(score: float, xs: tuple[float, ...], ys: tuple[float, ...]) -> float:
    """``score`` through the piecewise linear map of the points (xs, ys), flat beyond its ends."""
    if not xs:
        return score
    if score <= xs[0]:
        return ys[0]
    if score >= xs[-1]:
        return ys[-1]
    i = bisect_right(xs, score)
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (score - x0) / (x1 - x0)


@dataclass(frozen=True)
class Models:
    reported: Model
    quotation: Model
    threshold: float
    """The confidence below which a reported-speech candidate is no attribution (chosen on train)."""


def model_from_json(data: dict[str, object]) -> Model:
    weights = data["weights"]
    calibration = data["calibration"]
    assert isinstance(weights, dict) and isinstance(calibration, dict)
    return Model(
        {str(k): float(v) for k, v in weights.items()},
        float(data["intercept"]),  # type: ignore[arg-type]
        tuple(float(x) for x in calibration["x"]),
        tuple(float(y) for y in calibration["y"]),
    )


@cache
def load_models() -> Models:
    """The shipped models (``attribution.json``)."""
    text = resources.files("presspipe.plugins.quotes").joinpath("attribution.json").read_text("utf-8")
    data = json.loads(text)
    return Models(
        model_from_json(data["reported"]), model_from_json(data["quotation"]), float(data["threshold"])
    )
