import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_docker_compose_file_is_valid_against_the_compose_spec():
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    result = subprocess.run(
        [exe, "--builtin-schema", "vendor.compose-spec", str(REPO / "docker-compose.yml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_compose_runs_postgres_web_worker_and_keeps_media_on_a_volume():
    from ruamel.yaml import YAML  # installed with check-jsonschema

    spec = YAML(typ="safe").load((REPO / "docker-compose.yml").read_text())
    services = spec["services"]
    assert services["db"]["image"].startswith("postgres")
    assert "gunicorn" in services["web"]["command"]
    worker = " ".join(services["worker"]["command"])
    assert "recover_stale" in worker and worker.endswith("manage.py db_worker")
    assert "media:/data/media" in services["web"]["volumes"]
    assert "media" in spec["volumes"]
