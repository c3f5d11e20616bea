"""Loading pipelines: every problem is one clear message naming file, line and step."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from presspipe.errors import PresspipeError
from presspipe.pipeline import installed_pipelines, load_pipeline, pipeline_file_schema


def load_error(registry, write_pipeline, text: str) -> PresspipeError:  # type: ignore[no-untyped-def]
    path = write_pipeline(text)
    with pytest.raises(PresspipeError) as caught:
        load_pipeline(path, registry)
    assert str(path) in caught.value.message
    return caught.value


def test_valid_pipeline_fills_config_defaults(registry, write_pipeline):
    path = write_pipeline("name: demo\nsteps:\n  - use: demo.upper\n  - use: demo.words\n")
    pipeline = load_pipeline(path, registry)
    assert [step.name for step in pipeline.steps] == ["demo.upper", "demo.words"]
    assert pipeline.steps[1].config == {"limit": 5}
    assert pipeline.steps[1].line == 4
    assert pipeline.steps[1].plugin == "demo"


def test_pipeline_hash_follows_config_not_comments(registry, write_pipeline):
    a = load_pipeline(write_pipeline("name: d\nsteps:\n  - use: demo.words\n", "a.yaml"), registry)
    b = load_pipeline(
        write_pipeline("# comment\nname: d\nsteps:\n  - use: demo.words  # x\n", "b.yaml"), registry
    )
    c = load_pipeline(
        write_pipeline("name: d\nsteps:\n  - use: demo.words\n    with: {limit: 2}\n", "c.yaml"), registry
    )
    assert a.sha256 == b.sha256 != c.sha256


def test_yaml_syntax_error_gives_line_and_column(registry, write_pipeline):
    error = load_error(registry, write_pipeline, "name: demo\nsteps:\n  - use: demo.upper\n   with: [1, 2\n")
    assert error.code == "E001"
    assert ":4:" in error.message or ":5:" in error.message


def test_unknown_step_suggests_closest_name_and_plugin(registry, write_pipeline):
    error = load_error(
        registry, write_pipeline, "name: demo\nsteps:\n  - use: demo.upper\n  - use: demo.wrods\n"
    )
    assert error.code == "E003"
    assert "pipeline.yaml:4" in error.message
    assert "step 2" in error.message
    assert "'demo.words' (plugin demo)" in error.message


def test_wrong_config_type_names_file_line_step_and_field(registry, write_pipeline):
    text = "name: demo\nsteps:\n  - use: demo.words\n    with:\n      limit: many\n"
    error = load_error(registry, write_pipeline, text)
    assert error.code == "E004"
    assert "pipeline.yaml:5" in error.message
    assert "step 1 (demo.words)" in error.message
    assert "limit" in error.message and "'many' is not of type 'integer'" in error.message


def test_unknown_config_option_lists_known_options(registry, write_pipeline):
    error = load_error(
        registry, write_pipeline, "name: d\nsteps:\n  - use: demo.words\n    with: {limmit: 3}\n"
    )
    assert error.code == "E004"
    assert "limmit" in error.message and "limit" in error.message


def test_text_rewrite_after_annotation_is_refused(registry, write_pipeline):
    error = load_error(
        registry, write_pipeline, "name: d\nsteps:\n  - use: demo.words\n  - use: demo.upper\n"
    )
    assert error.code == "E005"
    assert "pipeline.yaml:4" in error.message
    assert "Move demo.upper before demo.words" in error.message


def test_missing_requirement_names_the_step_that_provides_it(registry, write_pipeline):
    error = load_error(
        registry, write_pipeline, "name: d\nsteps:\n  - use: demo.needs_words\n  - use: demo.words\n"
    )
    assert error.code == "E006"
    assert "'words'" in error.message and "Move demo.words before it" in error.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- just a list\n", "holds no mapping"),
        ("name: d\nstep:\n  - use: demo.words\n", "unknown key 'step' (did you mean 'steps'?)"),
        ("name: d\nsteps: []\n", "'steps' must be a non-empty list"),
        ("steps:\n  - use: demo.words\n", "'name' must be a non-empty string"),
        ("name: d\nsteps:\n  - demo.words\n", "step 1 needs 'use: STEP_NAME'"),
        ("name: d\nsteps:\n  - use: demo.words\n    wiht: {}\n", "unknown key 'wiht' (did you mean 'with'?)"),
    ],
)
def test_malformed_pipeline_files(registry, write_pipeline, text, expected):
    error = load_error(registry, write_pipeline, text)
    assert error.code == "E002"
    assert expected in error.message


def test_unknown_pipeline_lists_installed_ones(registry):
    with pytest.raises(PresspipeError) as caught:
        load_pipeline("no-such-pipeline", registry)
    assert caught.value.code == "E007" and "news" in caught.value.message


def test_installed_pipelines_are_valid_yaml():
    pipelines = installed_pipelines()
    assert "news" in pipelines
    assert yaml.safe_load(pipelines["news"])["name"] == "news"


def test_pipeline_file_schema_covers_every_step_config(registry, write_pipeline):
    schema = pipeline_file_schema(registry)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    names = [
        branch["properties"]["use"]["const"] for branch in schema["properties"]["steps"]["items"]["oneOf"]
    ]
    assert set(names) == set(registry.steps)
    good = {"name": "d", "steps": [{"use": "demo.words", "with": {"limit": 3}}]}
    bad = {"name": "d", "steps": [{"use": "demo.words", "with": {"limit": "x"}}]}
    assert validator.is_valid(good)
    assert not validator.is_valid(bad)


def test_nested_config_defaults_are_filled():
    from presspipe.pipeline import config_with_defaults

    schema = {
        "type": "object",
        "properties": {
            "limit": {"type": "integer", "default": 5},
            "rules": {
                "type": "object",
                "default": {},
                "properties": {"captions": {"type": "boolean", "default": True}, "urls": {"default": False}},
            },
        },
    }
    assert config_with_defaults(schema, {}) == {"limit": 5, "rules": {"captions": True, "urls": False}}
    given = {"rules": {"urls": True}}
    assert config_with_defaults(schema, given) == {"limit": 5, "rules": {"captions": True, "urls": True}}
    assert given == {"rules": {"urls": True}}, "the caller's config is not changed"
