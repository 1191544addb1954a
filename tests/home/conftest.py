from tests.support.shop import shop, shop_db

__all__ = ["shop", "shop_db"]
