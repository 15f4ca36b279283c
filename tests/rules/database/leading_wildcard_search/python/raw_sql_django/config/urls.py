from django.urls import path

from shop import writes
from shop import objects_raw
from shop import cursor_chain

urlpatterns = [
    path("orders/new", writes.create_order),
    path("objects_raw/orders/search", objects_raw.view_0),
    path("objects_raw/orders/search-bound", objects_raw.view_1),
    path("objects_raw/orders/search-title", objects_raw.view_2),
    path("objects_raw/orders/search-prefix", objects_raw.view_3),
    path("cursor_chain/orders/search", cursor_chain.view_0),
    path("cursor_chain/orders/search-bound", cursor_chain.view_1),
    path("cursor_chain/orders/search-title", cursor_chain.view_2),
    path("cursor_chain/orders/search-prefix", cursor_chain.view_3),
]
