from django.urls import path

from shop import writes
from shop import objects_raw
from shop import cursor_chain

urlpatterns = [
    path("orders/new", writes.create_order),
    path("objects_raw/orders/top", objects_raw.view_0),
    path("objects_raw/orders/top-capped", objects_raw.view_1),
    path("cursor_chain/orders/top", cursor_chain.view_0),
    path("cursor_chain/orders/top-capped", cursor_chain.view_1),
]
