"""The sandbox's in-memory state: stored objects, pending faults and the request log."""

import copy
import itertools
import random
import threading

from .faults import Fault

# Kinds of object each platform stores, by the name /_sandbox/objects shows.
KINDS = {
    "meta": ("campaigns", "adsets", "adimages", "advideos", "adcreatives", "ads"),
    "tiktok": ("campaigns", "adgroups", "images", "videos", "ads"),
    "google": (
        "campaign_budgets",
        "campaigns",
        "campaign_criteria",
        "ad_groups",
        "assets",
        "ad_group_ads",
    ),
}

# Ids are numeric strings of each platform's usual length (Meta 15 digits, TikTok 19,
# Google 11). Counters start at a random point so an id kept from an earlier sandbox run
# (say, in the main app's database) is unknown here instead of naming a new object.
_ID_RANGES = {
    "meta": (120210000000000, 10**11),
    "tiktok": (1800000000000000000, 10**17),
    "google": (20000000000, 10**9),
}


class Store:
    """Objects, faults and the request log of one sandbox.

    Views hold `lock` around every read-check-write on objects, so two threads cannot
    both create "the only" campaign with a name. It is re-entrant, so the fault and log
    methods below, which take it themselves, are safe to call while holding it.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.objects: dict[str, dict[str, dict[str, dict]]] = {}
        self.faults: list[Fault] = []
        self.requests: list[dict] = []
        self._ids = {
            platform: itertools.count(base + random.randrange(spread))
            for platform, (base, spread) in _ID_RANGES.items()
        }
        self._fault_ids = itertools.count(1)
        self._request_ids = itertools.count(1)
        self.clear_objects()

    def new_id(self, platform: str) -> str:
        """A fresh numeric id in the platform's style."""
        with self.lock:
            return str(next(self._ids[platform]))

    def kind(self, platform: str, kind: str) -> dict[str, dict]:
        """The stored objects of one kind, by id (call with `lock` held)."""
        return self.objects[platform][kind]

    def clear_objects(self) -> None:
        with self.lock:
            self.objects = {
                platform: {kind: {} for kind in kinds} for platform, kinds in KINDS.items()
            }

    def snapshot(self) -> dict:
        """A copy of every stored object, as lists per platform and kind."""
        with self.lock:
            return {
                platform: {
                    kind: copy.deepcopy(list(objects.values())) for kind, objects in kinds.items()
                }
                for platform, kinds in self.objects.items()
            }

    def add_fault(self, fields: dict) -> Fault:
        with self.lock:
            fault = Fault(id=next(self._fault_ids), **fields)
            self.faults.append(fault)
            return fault

    def take_fault(self, platform: str, method: str, path: str) -> Fault | None:
        """Consume one use of the oldest fault matching a request, if any."""
        with self.lock:
            for fault in self.faults:
                if fault.matches(platform, method, path):
                    if fault.after:
                        fault.after -= 1  # this one goes through; a later one fails
                        continue
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return copy.copy(fault)
        return None

    def pending_faults(self) -> list[dict]:
        with self.lock:
            return [fault.to_dict() for fault in self.faults]

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def log_request(self, entry: dict) -> None:
        with self.lock:
            self.requests.append({"id": next(self._request_ids), **entry})

    def logged_requests(self, platform: str | None = None) -> list[dict]:
        with self.lock:
            return [
                dict(entry)
                for entry in self.requests
                if platform is None or entry["platform"] == platform
            ]

    def clear_requests(self) -> None:
        with self.lock:
            self.requests.clear()

    def reset(self) -> None:
        """Forget every object, fault and logged request."""
        with self.lock:
            self.clear_objects()
            self.clear_faults()
            self.clear_requests()
