"""Named configs the lessons use. Each makes a claim that a seeded test holds it to."""

from dataclasses import dataclass
from typing import Any

from app.schemas import TrainConfig


@dataclass(frozen=True)
class Preset:
    name: str
    config: dict[str, Any]  # only what differs from TrainConfig's defaults
    title: dict[str, str]  # by language: "en", "zh-CN"
    explanation: dict[str, str]

    def train_config(self, **overrides: Any) -> TrainConfig:
        return TrainConfig(**{**self.config, **overrides})


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in [
        Preset(
            "spiral2",
            {"dataset": "spiral2", "turns": 1.0, "layers": 8, "width": 2, "init": "orthogonal"},
            {"en": "Two spirals, pulled apart", "zh-CN": "两条螺旋线，被逐层拉开"},
            {
                "en": "Eight layers of two units each bend the plane until a straight line "
                "separates the two arms.",
                "zh-CN": "八层、每层两个单元，一层层弯折平面，直到一条直线就能把两条螺旋臂分开。",
            },
        ),
        Preset(
            "spiral2-deep",
            {"dataset": "spiral2", "turns": 1.75, "layers": 10, "residual": True},
            {"en": "Tighter spirals with residual layers", "zh-CN": "更紧的螺旋与残差层"},
            {
                "en": "With 1.75 turns plain two-unit layers get stuck; residual layers "
                "(a + σ(W·a + b)) move the plane a little at a time and untangle it.",
                "zh-CN": "螺旋绕 1.75 圈时，普通的两单元层会卡住；残差层（a + σ(W·a + b)）"
                "每次只把平面挪动一点，最终把它理顺。",
            },
        ),
        Preset(
            "spiral3",
            {"dataset": "spiral3", "layers": 6, "width": 3},
            {"en": "Three spirals in three dimensions", "zh-CN": "三维空间里的三条螺旋线"},
            {
                "en": "Three classes need room: with three units per layer the plane is lifted "
                "into space, where three arms can be cut apart.",
                "zh-CN": "三个类别需要更多空间：每层三个单元把平面抬进三维，"
                "三条螺旋臂在那里可以被分开。",
            },
        ),
        Preset(
            "xor",
            {"dataset": "xor", "layers": 1, "width": 2, "steps": 500},
            {"en": "XOR with one hidden layer", "zh-CN": "一个隐藏层解决异或"},
            {
                "en": "One hidden layer folds the plane so that opposite corners meet: "
                "then one line separates them.",
                "zh-CN": "一个隐藏层把平面折起来，让对角的点相遇，然后一条直线就能分开它们。",
            },
        ),
        Preset(
            "xor-perceptron",
            {"dataset": "xor", "layers": 0, "steps": 500},
            {"en": "A perceptron cannot learn XOR", "zh-CN": "感知机学不会异或"},
            {
                "en": "Without a hidden layer the only boundary is one straight line, and no "
                "line puts opposite corners of XOR on the same side.",
                "zh-CN": "没有隐藏层，边界只能是一条直线，而没有哪条直线能把异或的对角放在同一侧。",
            },
        ),
        Preset(
            "circles-2d",
            {"dataset": "circles", "layers": 4, "width": 2},
            {"en": "A disk in a ring, two units wide", "zh-CN": "圆环中的圆盘：两个单元宽"},
            {
                "en": "Two-unit layers cannot lift the disk out of the ring: the decision region "
                "leaks out to infinity somewhere.",
                "zh-CN": "两单元的层无法把圆盘从圆环里抬出来：决策区域总会在某处一直延伸到无穷远。",
            },
        ),
        Preset(
            "circles-3d",
            {"dataset": "circles", "layers": 2, "width": 3},
            {"en": "A disk in a ring, three units wide", "zh-CN": "圆环中的圆盘：三个单元宽"},
            {
                "en": "A third dimension lets the network lift the disk above the ring and "
                "cut between them with a flat plane.",
                "zh-CN": "有了第三个维度，网络可以把圆盘抬到圆环上方，再用一个平面把它们切开。",
            },
        ),
        Preset(
            "overfit",
            {
                "dataset": "spiral2",
                "points": 60,
                "noise": 0.4,
                "label_noise": 0.15,
                "test_fraction": 0.5,
                "layers": 8,
                "width": 3,
                "steps": 3000,
                "lr": 0.02,
            },
            {"en": "Over-fitting", "zh-CN": "过拟合"},
            {
                "en": "Few noisy points and a deep net: training accuracy climbs while test "
                "accuracy lags behind. Raise l2 to narrow the gap.",
                "zh-CN": "点少、噪声大、网络深：训练准确率不断上升，测试准确率却落在后面。"
                "调高 l2 可以缩小差距。",
            },
        ),
        Preset(
            "soft",
            {"dataset": "soft", "points": 2000, "layers": 2, "width": 2, "steps": 800},
            {"en": "Learning a probability", "zh-CN": "学习一个概率"},
            {
                "en": "Each label was drawn at random from a smooth probability. The network "
                "cannot memorise coin flips; it learns the probability behind them.",
                "zh-CN": "每个标签都是按一个平滑的概率随机抽出来的。网络记不住抛硬币的结果，"
                "它学到的是背后的概率。",
            },
        ),
    ]
}


def resolve(preset: str | None, overrides: dict[str, Any]) -> TrainConfig:
    """A preset's config with explicit values on top; raises KeyError for an unknown preset."""
    base = PRESETS[preset].config if preset else {}
    return TrainConfig(**{**base, **overrides})
