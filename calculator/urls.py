from django.urls import path

from calculator import account_views, views

app_name = "calculator"
urlpatterns = [
    path("", views.home, name="home"),
    path("calculator/scopes", views.scope_options, name="scope_options"),
    path("calculator/maths", views.maths, name="maths"),
    path("calculator/table", views.table, name="table"),
    path("calculator/markets", views.market_options, name="market_options"),
    path("account/", account_views.account, name="account"),
    path("account/table", account_views.account_table, name="account_table"),
]
