from django.urls import path

from shop import writes
from shop import cursor_chain

urlpatterns = [
    path("orders/new", writes.create_order),
    path("cursor_chain/orders/open-count", cursor_chain.view_0),
    path("cursor_chain/orders/page", cursor_chain.view_1),
]
