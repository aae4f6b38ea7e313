"""The `smoke` marker of the benchmark tests (they check that it runs, never how fast)."""


def pytest_configure(config):
    config.addinivalue_line("markers", "smoke: smoke test of the benchmark; asserts no timings")
