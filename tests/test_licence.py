"""The licences exist and every place that states them says the same: CC BY 4.0 for the prose and
figures, MIT for the code (README, pyproject.toml, the site footer, the notebook kit, CITATION.cff)."""
import json
import tomllib
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT_URL = "https://creativecommons.org/licenses/by/4.0/"
# The schema cffconvert 2.0.0 validates with (`cffconvert --validate`), kept here because
# cffconvert pins jsonschema 3, which the development set cannot share.
CFF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "citation-cff-1.2.0.schema.json"


def test_licence_files_hold_the_licences():
    code = (ROOT / "LICENSE").read_text()
    assert code.startswith("MIT License\n") and "Permission is hereby granted, free of charge" in code
    content = (ROOT / "LICENSE-CONTENT").read_text()
    assert CONTENT_URL in content and f"{CONTENT_URL}legalcode" in content
    # the legal code itself, from its title to its last section
    assert "Creative Commons Attribution 4.0 International Public License" in content
    assert "Section 8 – Interpretation." in content


def test_readme_pyproject_and_kit_state_the_same_licences():
    readme = (ROOT / "README.md").read_text()
    licence = readme[readme.index("## Licence"):]
    assert CONTENT_URL in licence and "(LICENSE-CONTENT)" in licence and "MIT License" in licence
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    kit = (ROOT / "book_build" / "learner_kit" / "README.md").read_text()
    assert "CC BY 4.0 (`LICENSE-CONTENT`)" in kit and "MIT (`LICENSE`)" in kit
    from book_build.notebook_archive import KIT_FILES  # the files the kit's README names ship
    assert {"LICENSE", "LICENSE-CONTENT"} <= set(KIT_FILES)


def test_site_footer_states_the_licences():
    footer = yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["extra_footer"]
    assert f'<a href="{CONTENT_URL}">CC BY 4.0</a>' in footer and "MIT License" in footer


def test_built_pages_show_the_footer(built_site):
    page = (built_site / "chapters" / "intro.html").read_text()
    assert f'href="{CONTENT_URL}"' in page


def test_citation_file_is_valid_and_names_both_licences():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    # dates as text, as the schema expects (YAML reads an unquoted date as a date)
    jsonschema.validate(json.loads(json.dumps(citation, default=str)), json.loads(CFF_SCHEMA.read_text()))
    assert set(citation["license"]) == {"CC-BY-4.0", "MIT"}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert citation["version"] == project["version"]


def test_schema_rejects_a_citation_without_authors():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    del citation["authors"]
    try:
        jsonschema.validate(json.loads(json.dumps(citation, default=str)), json.loads(CFF_SCHEMA.read_text()))
    except jsonschema.ValidationError as error:
        assert "authors" in error.message
    else:
        raise AssertionError("the CFF schema accepted a citation without authors")
