# SPDX-License-Identifier: Apache-2.0
"""Two `serve` instances on one PostgreSQL database (issue 18): they share the document queue,
each job goes to one of them, and when one is killed with SIGKILL in the middle of reading, the
other takes over its jobs: no upload is lost, none is read by both while both live."""
import collections
import signal
import time

import pytest
from conftest import BACKEND, Service, db_rows
from test_cases import create, person, png_with_text
from test_workers import upload

pytestmark = pytest.mark.skipif(BACKEND != "postgresql",
                                reason="several instances share a PostgreSQL database only")


def extracted(svc):
    """Documents each read of this instance finished, in order (the upload's id: a stored
    file is the upload's id and its part, ID.0)."""
    return [e["document"].split(".")[0] for e in svc.log_events()
            if e.get("event") == "worker.extracted"]


def leads(svc, task):
    """Whether this instance took the lock of a task (store.h idv_store_lead)."""
    return any(e.get("event") == "store.leading" and e.get("task") == task
               for e in svc.log_events())


def task_locks(data_dir, task):
    """How many connections hold the lock of a task: the instances running it."""
    return int(db_rows(data_dir, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                 " AND classid = 1768191537 AND objid = %d AND granted AND"
                                 " database = (SELECT oid FROM pg_database WHERE"
                                 " datname = current_database())" % task)[0])


def test_two_instances_share_the_queue_and_take_over_from_a_killed_one(data_dir):
    args = ["--workers", "2", "--sweep-interval", "1", "--status-interval", "1"]
    a = Service(data_dir, args).start()
    b = Service(data_dir, args).start()
    try:
        # One sweeper for both: a's (it asked first). (The outbox, task 2, runs only with
        # DRP, a platform or a code sender configured: the same lock, not started here.)
        deadline = time.monotonic() + 20
        while not leads(a, 1) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert leads(a, 1)
        time.sleep(2.5)  # b has asked too, twice
        assert not leads(b, 1)
        assert task_locks(data_dir, 1) == 1
        cases = [create(a, person("i1")), create(b, person("i2"))]
        docs = []
        for i in range(10):
            svc, v = (a, cases[0]) if i % 2 == 0 else (b, cases[1])
            r = upload(svc, v, png_with_text("inst%d" % i))
            assert r.status_code == 202, r.text
            docs.append((v, r.json()["id"]))
        # Kill a in the middle of reading: once it has finished one document, with others left.
        deadline = time.monotonic() + 120
        while not extracted(a) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert extracted(a), "instance a read nothing"
        left = int(db_rows(data_dir, "SELECT count(*) FROM jobs")[0])
        a.proc.send_signal(signal.SIGKILL)
        a.proc.wait()
        a.proc = None
        a.log.close()
        assert left > 0, "every document was read before the kill: nothing to take over"
        # b finishes everything, a's unfinished jobs included.
        deadline = time.monotonic() + 180
        while int(db_rows(data_dir, "SELECT count(*) FROM jobs")[0]) > 0:
            assert time.monotonic() < deadline, "jobs left behind: %s" % db_rows(
                data_dir, "SELECT document_id, state, claimed_by FROM jobs")
            time.sleep(0.3)
        # b runs the sweeper now, and is the only one
        deadline = time.monotonic() + 20
        while not leads(b, 1) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert leads(b, 1)
        assert task_locks(data_dir, 1) == 1
        # every upload answered 202 is there, read
        statuses = db_rows(data_dir, "SELECT status, count(*) FROM documents GROUP BY status")
        assert statuses == ["ok|10"], statuses
        assert sorted(x.split(".")[0] for x in db_rows(data_dir, "SELECT id FROM documents")) \
            == sorted(d for _, d in docs)
        # Each instance read each document at most once; only the jobs a held when it was
        # killed (one per worker at most) were read again by b.
        ea, eb = extracted(a), extracted(b)
        assert max(collections.Counter(ea).values()) == 1, ea
        assert max(collections.Counter(eb).values()) == 1, eb
        assert sorted(set(ea) | set(eb)) == sorted(d for _, d in docs)
        assert len(set(ea) & set(eb)) <= 2, (ea, eb)
        assert len(ea) + len(eb) >= 10
    finally:
        if a.proc is not None:
            a.stop()
        assert b.stop() == 0
