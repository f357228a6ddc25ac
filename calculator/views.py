"""Calculator pages. The margin engine does the maths; views only read forms and render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "calculator/home.html")
