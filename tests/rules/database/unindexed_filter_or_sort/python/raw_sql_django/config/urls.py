from django.urls import path

from shop import writes
from shop import objects_raw
from shop import cursor_chain

urlpatterns = [
    path("orders/new", writes.create_order),
    path("objects_raw/orders/by-status", objects_raw.view_0),
    path("objects_raw/orders/mine", objects_raw.view_1),
    path("cursor_chain/orders/by-status", cursor_chain.view_0),
    path("cursor_chain/orders/mine", cursor_chain.view_1),
]
