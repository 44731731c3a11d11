"""ModelMesh's Python SDK: register a trained scikit-learn, PyTorch or ONNX model straight from a notebook, predict,
and run canaries, shadows, A/B splits and rollbacks.

    from modelmesh import ModelMeshClient
    client = ModelMeshClient()          # MM_CONTROL_PLANE or http://127.0.0.1:8080; token as mmctl finds it
    client.register_model("fraud-detector", model_object=clf, metadata={"auc": 0.94})
    client.predict("fraud-detector", inputs={"amount": 200.0, "merchant_risk": 0.3})
"""

from .client import ModelMeshClient
from .errors import (Conflict, ConflictException, InvalidInput, InvalidRequestException, ModelMeshException,
                     NotFound, NotFoundException, PayloadTooLarge, PayloadTooLargeException, Unauthorized,
                     UnauthorizedException, Unavailable, UnavailableException)
from .retry import Retry, RetryPolicy

__version__ = "0.1.0"

__all__ = [
    "ModelMeshClient", "RetryPolicy", "Retry",
    "ModelMeshException", "InvalidRequestException", "UnauthorizedException", "NotFoundException",
    "ConflictException", "PayloadTooLargeException", "UnavailableException",
    "InvalidInput", "Unauthorized", "NotFound", "Conflict", "PayloadTooLarge", "Unavailable",
]
