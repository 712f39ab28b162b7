"""Background jobs: in-process without Redis, on RQ with a real worker with
it; state, progress and result recorded either way."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

import tests.jobs_for_tests  # noqa: F401 - registers the test jobs
from app.extensions import db
from app.jobs.models import AnyRun, JobOutput, JobRun, JobState, PlatformJobRun
from app.jobs.services import enqueue
from tenants import TenantError, tenant_scope
from tenants.context import Layer, Tenant
from tests.world import build_world


def _run(run: AnyRun) -> AnyRun:
    """The run as the database has it now (read in its tenant, or as the
    platform's)."""
    db.session.expire_all()
    if isinstance(run, PlatformJobRun):
        return db.session.get(PlatformJobRun, run.id)
    with tenant_scope(run.mechanism_id, layer=Layer.JOB):
        return db.session.get(JobRun, (run.mechanism_id, run.id))


def test_an_in_process_job_runs_in_its_tenant(world):
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        run = enqueue("test.count_bodies", params={"label": "x"})
        assert run.state is JobState.FINISHED
        assert run.result == {"label": "x", "bodies": 2}  # alpha's two bodies only
        assert run.progress == 100 and run.started_at and run.finished_at


def test_a_failed_job_leaves_nothing_half_written(world, owner_engine):
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        before = len(db.session.scalars(sa.select(JobOutput)).all())
        run = enqueue("test.write_then_fail")
        assert run.state is JobState.FAILED
        assert run.message == "The export could not be finished."
        assert len(db.session.scalars(sa.select(JobOutput)).all()) == before


def test_an_unexpected_error_is_not_shown_to_users(world):
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        run = enqueue("test.crash")
    assert run.state is JobState.FAILED and "internal detail" not in run.message


def test_a_job_without_a_tenant_cannot_read_tenant_rows(world):
    run = enqueue("test.count_bodies", params={"label": "none"}, tenant=None)
    assert run.state is JobState.FAILED
    assert isinstance(run, PlatformJobRun)  # a run of no tenant is the platform's


def test_job_parameters_must_be_plain_values(world):
    with pytest.raises(TypeError):
        enqueue("test.count_bodies", params={"label": world.bodies["a1"]})
    with pytest.raises(LookupError):
        enqueue("no.such.job")


def test_a_job_started_for_another_tenant_runs_there(world):
    beta = world.mechanisms["beta"]
    run = enqueue(
        "test.count_bodies", params={"label": "b"}, tenant=Tenant(beta.id, None, Layer.JOB)
    )
    assert run.result == {"label": "b", "bodies": 1}
    with pytest.raises(TenantError):
        db.session.scalars(sa.select(JobOutput)).all()


# --- the Redis leg: a real queue and a real worker ----------------------------------


@pytest.fixture
def rq_app(make_app, redis_url):
    app = make_app(REDIS_URL=redis_url)
    with app.app_context():
        from app.jobs.services import queue

        q = queue()
        q.empty()
        yield app, q
        q.empty()


def _work(q) -> None:
    from rq import SimpleWorker

    SimpleWorker([q], connection=q.connection).work(burst=True)


def test_jobs_go_through_redis_to_a_worker(rq_app):
    app, q = rq_app
    world = build_world()
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        run = enqueue("test.count_bodies", params={"label": "rq"})
    assert _run(run).state is JobState.QUEUED
    assert q.count == 1
    _work(q)
    done = _run(run)
    assert done.state is JobState.FINISHED, done.message
    assert done.result == {"label": "rq", "bodies": 2} and done.attempts == 1


def test_a_failing_job_is_retried_by_the_worker(rq_app):
    app, q = rq_app
    world = build_world()
    alpha = world.mechanisms["alpha"]
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        run = enqueue("test.flaky", params={"key": uuid.uuid4().hex})
    assert isinstance(run, PlatformJobRun)  # the operator's work
    _work(q)  # first attempt fails, RQ re-queues it (interval 0 in tests)
    _work(q)
    done = _run(run)
    assert done.state is JobState.FINISHED and done.attempts == 2


def test_the_audit_export_runs_on_the_worker(rq_app):
    app, q = rq_app
    world = build_world()
    from tests.support import sign_in

    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    response = client.post("/m/alpha/b/a1/audit/export", data={})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in page  # polls while queued
    _work(q)
    fragment = client.get(response.headers["Location"], headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="job-') and "every 1s" not in body
    download = client.get(response.headers["Location"] + "/download")
    assert download.status_code == 200 and b"event of a1" in download.data
    assert b"event of a2" not in download.data


def test_progress_is_visible_while_the_job_runs(rq_app):
    app, q = rq_app
    world = build_world()
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        run = enqueue("test.report_progress")
    _work(q)
    done = _run(run)
    if db.engine.dialect.name == "sqlite":
        # SQLite allows one writer: progress is recorded at the end only
        assert done.result["progress"] == 0
    else:
        assert done.result == {"progress": 40, "message": "halfway there", "state": "running"}
    assert done.state is JobState.FINISHED and done.progress == 100


def test_a_job_keeps_the_layer_it_was_started_from(rq_app):
    app, q = rq_app
    world = build_world()
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        from_body = enqueue("test.read_across_bodies")
    with tenant_scope(alpha.id, a1.id, layer=Layer.COORDINATION):
        from_coordination = enqueue("test.read_across_bodies")
    _work(q)
    assert _run(from_body).state is JobState.FAILED
    assert _run(from_coordination).state is JobState.FINISHED


def test_enqueue_saves_the_callers_work_in_the_callers_tenant(world):
    alpha, a1, beta = world.mechanisms["alpha"], world.bodies["a1"], world.mechanisms["beta"]
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        run = JobRun(body_id=a1.id, name="test.count_bodies", params={})
        db.session.add(run)
        db.session.flush()
        db.session.add(
            JobOutput(job_run_id=run.id, filename="mine.csv", content_type="text/csv", data=b"x")
        )
        enqueue("test.count_bodies", params={"label": "x"}, tenant=Tenant(beta.id, None, Layer.JOB))
        saved = db.session.scalars(
            sa.select(JobOutput).where(JobOutput.filename == "mine.csv")
        ).one()
    assert (saved.mechanism_id, saved.body_id) == (alpha.id, a1.id)


def test_scheduled_jobs_run_on_their_days_only():
    from datetime import datetime

    from app.jobs.cli import due_today

    monday, tuesday = datetime(2026, 11, 23, 22, 0), datetime(2026, 11, 24, 1, 0)
    assert due_today("0 6 * * *", monday) and due_today("0 6 * * *", tuesday)
    assert due_today("0 7 * * 1", monday) and not due_today("0 7 * * 1", tuesday)


def test_outputs_and_imports_name_a_run_of_their_own_mechanism(world):
    """The tenant key reaches the run: no output of one mechanism can point
    at another's run (the database refuses it)."""
    a1 = world.bodies["a1"]
    beta_run = world.job_runs[world.account("b1", "admin")]
    with tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        db.session.add(
            JobOutput(job_run_id=beta_run, filename="x.csv", content_type="text/csv", data=b"x")
        )
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_run_started_by_a_tenant_is_the_tenants(world):
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        run = enqueue("test.count_bodies", params={"label": "mine"})
    assert isinstance(run, JobRun) and (run.mechanism_id, run.body_id) == (alpha.id, a1.id)
    with tenant_scope(alpha.id, world.bodies["a2"].id, layer=Layer.BODY):
        assert db.session.get(JobRun, (alpha.id, run.id)) is None  # another body's
