"""A cache backend that fails on every call, as Redis does while it is stopped."""

from django.core.cache.backends.base import BaseCache


class BrokenCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = incr = decr = clear = has_key = _fail
    get_many = set_many = delete_many = _fail
