from django.urls import path

from shop import writes
from shop import objects_raw
from shop import cursor_chain

urlpatterns = [
    path("orders/new", writes.create_order),
    path("objects_raw/orders/buyers", objects_raw.view_0),
    path("objects_raw/users/batch", objects_raw.view_1),
    path("cursor_chain/orders/buyers", cursor_chain.view_0),
    path("cursor_chain/users/batch", cursor_chain.view_1),
]
