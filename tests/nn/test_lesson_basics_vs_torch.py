"""PyTorch's "Learn the Basics" data → model → optimization → save-and-load cells, run unchanged
against autograd_kit and PyTorch 2.13 (skipped without torch) on small local data of
FashionMNIST's layout, with the same initial weights: the printed transcripts must agree."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from tests.helpers.differential import assert_same_as_torch

RNG = np.random.default_rng(0)
IMAGES = RNG.random((40, 1, 4, 4), dtype=np.float32)
LABELS = RNG.integers(0, 3, 40)
WEIGHTS = {
    "linear_relu_stack.0.weight": RNG.standard_normal((8, 16)) * 0.3,
    "linear_relu_stack.0.bias": RNG.standard_normal(8) * 0.1,
    "linear_relu_stack.2.weight": RNG.standard_normal((3, 8)) * 0.3,
    "linear_relu_stack.2.bias": RNG.standard_normal(3) * 0.1,
}


def lesson(torch: Any, out: list) -> None:
    nn = torch.nn
    Dataset, DataLoader = torch.utils.data.Dataset, torch.utils.data.DataLoader

    class CustomImageDataset(Dataset):
        def __init__(self, images: np.ndarray, labels: np.ndarray) -> None:
            self.images, self.labels = images, labels

        def __len__(self) -> int:
            return len(self.labels)

        def __getitem__(self, idx: int) -> tuple:
            return torch.from_numpy(self.images[idx]), int(self.labels[idx])

    training_data = CustomImageDataset(IMAGES[:32], LABELS[:32])
    test_data = CustomImageDataset(IMAGES[32:], LABELS[32:])
    train_dataloader = DataLoader(training_data, batch_size=8)
    test_dataloader = DataLoader(test_data, batch_size=8)
    train_features, train_labels = next(iter(train_dataloader))
    out.append(f"Feature batch shape: {train_features.size()}")
    out.append(f"Labels batch shape: {train_labels.size()}")

    class NeuralNetwork(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3))

        def forward(self, x: Any) -> Any:
            return self.linear_relu_stack(self.flatten(x))

    def fresh_model() -> Any:
        model = NeuralNetwork()
        with torch.no_grad():
            for name, param in model.named_parameters():
                param.copy_(torch.tensor(WEIGHTS[name], dtype=torch.float32))
        return model

    model = fresh_model()
    out.append(str(model))

    def train_loop(dataloader: Any, model: Any, loss_fn: Any, optimizer: Any) -> None:
        model.train()
        for batch, (X, y) in enumerate(dataloader):
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            out.append(
                f"loss: {loss.item():>.4f}  [{(batch + 1) * len(X):>3d}/{len(dataloader.dataset):>3d}]"
            )

    def test_loop(dataloader: Any, model: Any, loss_fn: Any) -> None:
        model.eval()
        test_loss, correct = 0.0, 0.0
        with torch.no_grad():
            for X, y in dataloader:
                pred = model(X)
                test_loss += loss_fn(pred, y).item()
                correct += (pred.argmax(1) == y).type(torch.float).sum().item()
        out.append(
            f"Accuracy: {100 * correct / len(dataloader.dataset):>0.1f}%, Avg loss: {test_loss / len(dataloader):>.4f}"
        )

    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for t in range(3):
        out.append(f"Epoch {t + 1}")
        train_loop(train_dataloader, model, loss_fn, optimizer)
        test_loop(test_dataloader, model, loss_fn)

    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    buf.seek(0)
    loaded = NeuralNetwork()
    out.append(str(loaded.load_state_dict(torch.load(buf, weights_only=True))))
    loaded.eval()
    with torch.no_grad():
        same = torch.equal(loaded(train_features), model(train_features))
    out.append(f"loaded model gives the same logits: {same}")


def test_learn_the_basics_transcript_matches_torch() -> None:
    assert_same_as_torch(lesson)
