"""The load harness's ceiling page, served only with CONCERT_BENCHMARK=1."""

from app.benchmark.views import bp
from app.capabilities import Capability

CAPABILITY = Capability(name="benchmark", blueprints=(("body", bp),), when="BENCHMARK_MODE")
