"""Where each channel's requests go, and with which credentials.

A channel is connected one of three ways, decided from the configuration (which comes from
the environment, never from the database):

- live: the platform's own token is set (META_ACCESS_TOKEN, TIKTOK_ACCESS_TOKEN,
  GOOGLE_ADS_DEVELOPER_TOKEN) together with the account it works on;
- sandbox: no token of its own, but PLATFORM_SANDBOX_URL points at the local platform
  sandbox (`make sandbox`), which takes the sandbox's published test credentials;
- off: neither; sending is refused with a sentence saying which variables to set.

Secrets stay in `Connection.secrets` and only ever go into request headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ...config import SANDBOX_CREDENTIALS
from ..translators import API_HOSTS

GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"


@dataclass(frozen=True)
class Platform:
    """What a platform needs to be connected."""

    code: str
    name: str
    token_variable: str  # set means: use the live platform
    required: Mapping[str, str]  # account placeholder -> environment variable, always needed
    optional: Mapping[str, str]  # placeholders only some tickets use -> environment variable
    base_url_variable: str
    sandbox_prefix: str
    # Further variables a live connection needs (none are placeholders).
    secrets: Mapping[str, str] = field(default_factory=dict)


PLATFORMS: dict[str, Platform] = {
    "META": Platform(
        "META",
        "Meta",
        "META_ACCESS_TOKEN",
        {"ad_account_id": "META_AD_ACCOUNT_ID"},
        {
            "pixel_id": "META_PIXEL_ID",
            "application_id": "META_APPLICATION_ID",
            "dsa_beneficiary": "META_DSA_BENEFICIARY",
            "dsa_payor": "META_DSA_PAYOR",
            "page_id": "META_PAGE_ID",  # the Facebook Page ads run as
        },
        "META_API_BASE_URL",
        "meta",
    ),
    "TIKTOK": Platform(
        "TIKTOK",
        "TikTok",
        "TIKTOK_ACCESS_TOKEN",
        {"advertiser_id": "TIKTOK_ADVERTISER_ID"},
        {
            "pixel_id": "TIKTOK_PIXEL_ID",
            # The identity ads run as: its id and type (CUSTOMIZED_USER, TT_USER, BC_AUTH_TT).
            "identity_id": "TIKTOK_IDENTITY_ID",
            "identity_type": "TIKTOK_IDENTITY_TYPE",
        },
        "TIKTOK_API_BASE_URL",
        "tiktok",
    ),
    "GOOGLE": Platform(
        "GOOGLE",
        "Google Ads",
        "GOOGLE_ADS_DEVELOPER_TOKEN",
        {"customer_id": "GOOGLE_ADS_CUSTOMER_ID"},
        {},
        "GOOGLE_ADS_API_BASE_URL",
        "google",
        secrets={
            "client_id": "GOOGLE_ADS_CLIENT_ID",
            "client_secret": "GOOGLE_ADS_CLIENT_SECRET",
            "refresh_token": "GOOGLE_ADS_REFRESH_TOKEN",
        },
    ),
}


@dataclass(frozen=True)
class Connection:
    """How one channel reaches its platform right now."""

    channel_code: str
    platform: str
    mode: str  # "live", "sandbox" or "off"
    base_url: str = ""
    # Account placeholders ({ad_account_id}, {pixel_id}, ...) and their values.
    values: Mapping[str, str] = field(default_factory=dict)
    # Tokens and other credentials: headers only, never shown or logged.
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    token_url: str = ""  # Google's OAuth token endpoint
    login_customer_id: str | None = None  # Google manager account, when one is used
    problem: str | None = None  # why it is off
    variables: Mapping[str, str] = field(default_factory=dict)  # placeholder -> variable

    @property
    def connected(self) -> bool:
        return self.mode != "off"

    @property
    def sandbox(self) -> bool:
        return self.mode == "sandbox"

    def describe(self) -> str:
        """One sentence for pages: where sends to this channel go."""
        if self.mode == "sandbox":
            return (
                f"{self.platform} sends go to the local platform sandbox at {self.base_url}: "
                f"nothing reaches the real {self.platform}."
            )
        if self.mode == "live":
            return f"{self.platform} sends go to the live API at {self.base_url}."
        return self.problem or f"{self.platform} is not connected."

    def missing_for(self, placeholders) -> list[str]:
        """The variables to set before requests with these placeholders can be sent."""
        return [
            self.variables.get(name, name) for name in placeholders if not self.values.get(name)
        ]


def connection_for(channel_code: str | None, config: Mapping) -> Connection:
    """The connection of a channel (by its API identifier, e.g. META) under `config`."""
    code = (channel_code or "").strip().upper()
    platform = PLATFORMS.get(code)
    if platform is None:
        return Connection(
            code,
            code or "This channel",
            "off",
            problem=f"No platform API is known for the channel {code or '(none)'}: "
            "traffic it by hand and enter the platform id.",
        )
    variables = {**platform.required, **platform.optional}
    if config.get(platform.token_variable):
        return _live(platform, config, variables)
    sandbox = (config.get("PLATFORM_SANDBOX_URL") or "").rstrip("/")
    if sandbox:
        return _sandbox(platform, sandbox, variables)
    needed = [platform.token_variable, *platform.required.values(), *platform.secrets.values()]
    return Connection(
        code,
        platform.name,
        "off",
        problem=f"{platform.name} is not connected: set {', '.join(needed)} (or "
        "PLATFORM_SANDBOX_URL to use the local platform sandbox) and restart.",
        variables=variables,
    )


def _clean(placeholder: str, value: str) -> str:
    value = value.strip()
    if placeholder == "ad_account_id":
        return value.removeprefix("act_")  # the path adds act_ itself
    if placeholder == "customer_id":
        return value.replace("-", "")  # 123-456-7890 as Google Ads shows it
    return value


def _live(platform: Platform, config: Mapping, variables: dict) -> Connection:
    values = {
        name: _clean(name, config[variable])
        for name, variable in variables.items()
        if config.get(variable)
    }
    secrets = {"token": str(config[platform.token_variable]).strip()}
    secrets |= {name: str(config.get(var) or "").strip() for name, var in platform.secrets.items()}
    missing = [var for name, var in platform.required.items() if name not in values]
    missing += [var for name, var in platform.secrets.items() if not secrets[name]]
    base_url = (config.get(platform.base_url_variable) or API_HOSTS[platform.code]).rstrip("/")
    if missing:
        return Connection(
            platform.code,
            platform.name,
            "off",
            base_url,
            problem=f"{platform.name} is only half configured: {platform.token_variable} is "
            f"set but {', '.join(missing)} is not.",
            variables=variables,
        )
    login = (config.get("GOOGLE_ADS_LOGIN_CUSTOMER_ID") or "").replace("-", "").strip() or None
    return Connection(
        platform.code,
        platform.name,
        "live",
        base_url,
        values,
        secrets,
        token_url=config.get("GOOGLE_ADS_TOKEN_URL") or GOOGLE_TOKEN_URL,
        login_customer_id=login if platform.code == "GOOGLE" else None,
        variables=variables,
    )


def _sandbox(platform: Platform, sandbox_url: str, variables: dict) -> Connection:
    credentials = SANDBOX_CREDENTIALS[platform.code]
    base_url = f"{sandbox_url}/{platform.sandbox_prefix}"
    values = {name: credentials[name] for name in variables if name in credentials}
    secrets = {
        "token": credentials.get("access_token") or credentials.get("developer_token", ""),
        **{name: credentials[name] for name in platform.secrets if name in credentials},
    }
    return Connection(
        platform.code,
        platform.name,
        "sandbox",
        base_url,
        values,
        secrets,
        token_url=f"{base_url}/token",
        variables=variables,
    )
