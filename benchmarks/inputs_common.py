"""What every generated benchmark input shares: the seed, names, and small helpers."""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20240611
SYM_ACCOUNT = "803477428605"
REQUIRED_TAGS = ("Owner", "CostCenter")

TEAMS = (
    "payments",
    "identity",
    "search",
    "checkout",
    "ledger",
    "growth",
    "platform",
    "data",
    "mobile",
    "risk",
)
ENVS = ("prod", "staging", "dev", "sandbox", "qa")
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")
RUNTIMES = ("python3.12", "python3.11", "nodejs20.x", "java21", "provided.al2023")


def account(rng: random.Random) -> str:
    return f"{rng.randrange(10**11, 10**12):012d}"


def uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def hcl_list(items) -> str:
    return "[" + ", ".join(json.dumps(x) for x in items) + "]"


def write(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode()
    path.write_bytes(data)
    return len(data)
