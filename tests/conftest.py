"""Fixtures shared by the integration tests: real clusters with worker processes."""

from __future__ import annotations

import pytest
from distributed import Client, LocalCluster

from helpers import CLUSTER_KWARGS, release_unmanaged


@pytest.fixture(scope="session")
def cluster():
    with LocalCluster(**CLUSTER_KWARGS) as cluster:
        yield cluster


@pytest.fixture
def client(cluster):
    with Client(cluster) as client:
        client.wait_for_workers(CLUSTER_KWARGS["n_workers"])
        yield client
        # Leave the workers as the next test expects them: nothing held.
        client.run(release_unmanaged)
