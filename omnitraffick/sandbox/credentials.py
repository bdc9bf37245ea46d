"""The only credentials the sandbox accepts. They are fake and reach no real ad platform."""

SANDBOX_CREDENTIALS = {
    "META": {
        "access_token": "sandbox-meta-token",
        "ad_account_id": "1000000001",
        "pixel_id": "2000000001",
        "application_id": "3000000001",
        "dsa_beneficiary": "OmniTraffick Sandbox",
        "dsa_payor": "OmniTraffick Sandbox",
    },
    "TIKTOK": {
        "access_token": "sandbox-tiktok-token",
        "advertiser_id": "7000000000000000001",
        "pixel_id": "7100000000000000001",
    },
    "GOOGLE": {
        "developer_token": "sandbox-developer-token",
        "client_id": "sandbox-client-id",
        "client_secret": "sandbox-client-secret",
        "refresh_token": "sandbox-refresh-token",
        "customer_id": "1234567890",
    },
}

# What the sandbox's OAuth token endpoint hands out. It never expires, so a client may
# also be configured with it directly and skip the token exchange.
GOOGLE_ACCESS_TOKEN = "sandbox-google-access-token"
