"""Run the platform sandbox: python -m omnitraffick.sandbox --host 127.0.0.1 --port 8001."""

import argparse

from . import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m omnitraffick.sandbox",
        description="A local stand-in for the Meta, TikTok and Google Ads campaign APIs.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8001, help="port to listen on")
    args = parser.parse_args(argv)
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
