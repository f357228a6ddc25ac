"""Reads an account from where it lives: a public address on Hyperliquid or dYdX (their public
APIs, httpx with short timeouts), or a positions table pasted from an exchange. Whatever is read
becomes the account page's own fields, so the engine sees it as it sees a typed account."""
