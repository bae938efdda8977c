"""The seller's catalog as the understanding layer sees it: SKUs, their translated names
and the unit they are sold in, read once from the reference catalog shipped with the
project (never from the database, so `understand()` stays fast and testable)."""

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

CATALOG_PATH = (
    Path(__file__).resolve().parent.parent.parent
    / "crm"
    / "fixtures"
    / "reference"
    / "catalog.json"
)


@dataclass(frozen=True)
class CatalogProduct:
    sku: str
    unit: str
    names: dict[str, str]
    watts: Decimal | None  # rated power in W, read from the English name


@lru_cache(maxsize=1)
def catalog_products() -> tuple[CatalogProduct, ...]:
    data = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    products = []
    for row in data["products"]:
        english = row["name"]["en"]
        watts = None
        match = re.search(r"(\d+(?:\.\d+)?)\s?(k?)W\b", english)
        if match:
            watts = Decimal(match.group(1)) * (1000 if match.group(2) else 1)
        products.append(
            CatalogProduct(sku=row["sku"], unit=row["unit"], names=row["name"], watts=watts)
        )
    return tuple(products)


@lru_cache(maxsize=1)
def unit_by_sku() -> dict[str, str]:
    return {product.sku: product.unit for product in catalog_products()}


@lru_cache(maxsize=1)
def sku_by_watts() -> dict[Decimal, str]:
    out: dict[Decimal, str] = {}
    for product in catalog_products():
        if product.watts is not None:
            out[product.watts] = product.sku
    return out


@lru_cache(maxsize=1)
def seller_port() -> str:
    data = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    return data["seller"]["port_of_loading"]
