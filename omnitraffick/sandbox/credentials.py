"""The only credentials the sandbox accepts. They are fake and reach no real ad platform.

They are defined with the app's configuration, which sends with them (omnitraffick.config).
"""

from ..config import SANDBOX_CREDENTIALS
from ..config import SANDBOX_GOOGLE_ACCESS_TOKEN as GOOGLE_ACCESS_TOKEN

__all__ = ["GOOGLE_ACCESS_TOKEN", "SANDBOX_CREDENTIALS"]
