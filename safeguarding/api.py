"""Placeholder until the alert API lands."""

from rest_framework.views import APIView


class AlertList(APIView):
    pass


class AlertDetail(APIView):
    pass


class AlertStep(APIView):
    pass
