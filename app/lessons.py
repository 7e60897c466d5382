"""The guided lessons: each step sets a config, says what to watch, and points at a view.

Every step is pinned: its config's `steps` is the training step at which the picture shows
what the text says, so the run stops there and the claim stays on screen (the page says so).
Each step's `claims` are what the text promises; tests/test_lessons.py trains the config and
measures them, and tests/browser/test_lessons.py reads the same facts off the screen.
Text is ours, written from the ideas in the team's source articles.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from app.engine.stages import layer_outputs, stage_records
from app.presets import PRESETS
from app.schemas import TrainConfig

# "separability" is the inspector card's chart of the best straight line's accuracy per layer
# "compare" is a page of its own: the step's run beside the same run with `compare` changed
VIEWS = ("warp", "input", "wide", "curves", "inspector", "separability", "step", "compare")


@dataclass(frozen=True)
class Claim:
    """`metric` compared with `value` when the run stops (or, for the step view, after one step).

    Metric names, measured by tests/test_lessons.py:
    acc/loss train/test, `gap` (acc_train − acc_test), `separability_first|last`,
    `separability_climbs` (never drops by more than 0.02 from one layer to the next),
    `w1_condition` (smallest / largest singular value of W₁), `grad_ratio` (layer 1's ‖∂E/∂W‖
    over the last hidden layer's), `grads_grow` (each layer's ‖∂E/∂W‖ below the next one's),
    `dead@k` / `dead_at_start@k` (units of layer k whose input is ≤ 0 over the whole grid and
    every point), `one_to_one@S` (every grid cell keeps its orientation and a non-zero area
    at stage S), `creased@S` (some grid line turns by more than 20° at stage S), `loss_rises`
    (snapshot-to-snapshot increases of the training loss), `loss_fall` (last / first),
    `field_error` (mean |p − true p| over the data window), `wide_confident` (share of the
    wide window outside the data square where the net gives ≥ 0.95), `inner_reaches_edge`,
    `own_corner` (share of points whose nearest class centre in the last space is their own),
    `single_step_loss_change` (training loss after one step from step 0, minus before).
    """

    metric: str
    op: str  # ">=" or "<=" or "=="
    value: float | bool


@dataclass(frozen=True)
class LessonStep:
    id: str
    preset: str | None  # None: TrainConfig's defaults
    overrides: dict[str, Any]  # `steps` pins the run to where the claim is visible
    view: str
    stage: str | None  # stage to show first ("last" = the last layer's output)
    title: dict[str, str]
    text: dict[str, str]
    claims: tuple[Claim, ...]
    compare: dict[str, Any] | None = None  # with view "compare": run B's fields that differ
    compare_claims: tuple[Claim, ...] = ()  # what the text promises of run B

    def shown_stage(self) -> str | None:
        """The stage's name, with "last" resolved to this step's last space (the page restarts
        the run with it, and its URL names it, before the new net's stages arrive)."""
        if self.stage != "last":
            return self.stage
        config = self.train_config()
        return layer_outputs(stage_records(config.layers, config.residual))[-1].name

    def train_config(self) -> TrainConfig:
        if self.preset is None:
            return TrainConfig(**self.overrides)
        return PRESETS[self.preset].train_config(**self.overrides)

    def compare_config(self) -> TrainConfig | None:
        """Run B of a comparison step: run A with `compare`'s fields changed."""
        if self.compare is None:
            return None
        return TrainConfig(**{**self.train_config().model_dump(), **self.compare})

    def url_query(self) -> dict[str, str]:
        """The URL parameters that state this step's run: its preset and fields, run B's as
        `b.<field>` for a comparison, and the stage it shows."""
        query = {"preset": self.preset} if self.preset else {}
        query |= {name: _url_value(value) for name, value in self.overrides.items()}
        query |= {f"b.{name}": _url_value(value) for name, value in (self.compare or {}).items()}
        if self.stage:
            query["stage"] = self.shown_stage() or ""
        return query

    def compare_url(self) -> str | None:
        """The comparison page that shows this step: A as a preset and its fields, B's `b.`."""
        if self.compare is None:
            return None
        return "/compare?" + urlencode({"lesson": self.id, **self.url_query()})


def _url_value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _step(
    id, preset, view, stage, title, text, claims, compare=None, compare_claims=(), **overrides
):  # noqa: ANN001, ANN202, E501
    claims, compare_claims = tuple(claims), tuple(compare_claims)
    return LessonStep(
        id, preset, overrides, view, stage, title, text, claims, compare, compare_claims
    )


# ReLU and leaky ReLU are shown on the same small net, so the one unit that ReLU kills is there
# to compare: moons, he init, seed 5 (chosen by searching seeds for one where a unit dies).
_FOLDS = {"dataset": "moons", "width": 2, "init": "he", "seed": 5, "lr": 0.02, "steps": 300}

LESSONS: list[LessonStep] = [
    _step(
        "three-moves",
        None,
        "warp",
        "1.W",
        {"en": "One layer, three moves", "zh-CN": "一层，三个动作"},
        {
            "en": "Step through 1.W, 1.b and 1.act with ◀ ▶ under the plot. Multiplying by W "
            "stretches, turns and shears the plane, yet every grid line stays straight and "
            "parallel lines stay parallel. Adding b slides the whole plane; only σ bends it.",
            "zh-CN": "用图下方的 ◀ ▶ 依次看 1.W、1.b、1.act。乘以 W 会拉伸、旋转、错切平面，"
            "但每条网格线仍是直的，平行线依旧平行。加上 b 只是把整个平面平移；"
            "只有 σ 才会把它弯曲。",
        },
        # seed 1 keeps W₁ well conditioned: other seeds squeeze the plane to a sliver
        [Claim("acc_test", ">=", 0.85), Claim("w1_condition", ">=", 0.3)],
        dataset="moons",
        layers=1,
        width=2,
        seed=1,
        steps=150,
    ),
    _step(
        "compose",
        "spiral2",
        "separability",
        "last",
        {"en": "Layers compose", "zh-CN": "层层叠加"},
        {
            "en": "No single layer untangles two spirals; each moves them a little. Play the "
            "layers and watch the arms come apart. The separability chart — how many points "
            "the best straight line gets right after each layer — climbs from about 0.83 at "
            "the input to 1 a few layers in: from there on one straight line splits the classes.",
            "zh-CN": "没有哪一层能单独解开两条螺旋线，每一层只把它们挪动一点。播放各层，"
            "看两条螺旋臂逐渐分开。可分性图表示每层之后最好的一条直线能分对多少点："
            "它从输入处的约 0.83 一路升到几层之后的 1，从那里起，一条直线就能把两类分开。",
        },
        [
            Claim("separability_first", "<=", 0.9),
            Claim("separability_last", ">=", 0.99),
            Claim("separability_climbs", "==", True),
            Claim("acc_test", ">=", 0.98),
        ],
        steps=300,
    ),
    _step(
        "three-classes",
        "spiral3",
        "warp",
        "last",
        {"en": "Three classes, three dimensions", "zh-CN": "三个类别，三个维度"},
        {
            "en": "With three units per layer the plane is lifted into space. Drag to turn the "
            "3D view: in the last space the three arms sit apart, each in its own corner, and "
            "the readout's flat planes cut between them.",
            "zh-CN": "每层三个单元时，平面被抬进三维空间。拖动鼠标转动三维视图："
            "在最后的空间里，三条螺旋臂彼此分开，各占一角，输出层的几个平面从它们之间切过。",
        },
        [Claim("acc_test", ">=", 0.95), Claim("own_corner", ">=", 0.95)],
        steps=300,
    ),
    _step(
        "perceptron-xor",
        "xor-perceptron",
        "input",
        None,
        {"en": "A perceptron cannot learn XOR", "zh-CN": "感知机学不会异或"},
        {
            "en": "With no hidden layer the boundary in the input space is one straight line, "
            "drawn exactly from the readout's W and b. XOR puts equal labels in opposite "
            "corners, so wherever the line goes, at least a quarter of the points fall on the "
            "wrong side.",
            "zh-CN": "没有隐藏层时，输入空间里的边界就是一条直线，由输出层的 W 和 b 精确画出。"
            "异或把相同的标签放在对角，所以无论这条线怎么放，至少四分之一的点会落在错的一侧。",
        },
        [Claim("acc_train", "<=", 0.75), Claim("acc_test", "<=", 0.75)],
        steps=200,
    ),
    _step(
        "xor-hidden",
        "xor",
        "warp",
        "last",
        {"en": "One hidden layer solves it", "zh-CN": "一个隐藏层就能解决"},
        {
            "en": "Add one hidden layer of three units. It lifts the plane into space and folds "
            "it so that the two corners of each class land on the same side: in the last space "
            "one flat plane, the readout's boundary, separates the classes. Drag to turn the view.",
            "zh-CN": "加一个由三个单元组成的隐藏层。它把平面抬进三维空间并折叠，"
            "让同类的两个角落落到同一侧：在最后的空间里，一个平面（输出层的边界）"
            "就能把两类分开。拖动鼠标转动视图。",
        },
        [Claim("acc_test", ">=", 0.99), Claim("acc_train", ">=", 0.99)],
        steps=300,
    ),
    _step(
        "gradient-step",
        "xor",
        "step",
        None,
        {"en": "How it learns: one step downhill", "zh-CN": "如何学习：向下走一步"},
        {
            "en": "Softmax turns the readout's scores into probabilities; cross-entropy is "
            "−log of the probability given to the true class. The lesson pauses the run and "
            "takes one step: every weight moves by w ← w − α·∂E/∂w (the panel works one out "
            "in numbers), and the training loss goes down.",
            "zh-CN": "softmax 把输出层的分数变成概率；交叉熵就是正确类别所得概率的负对数。"
            "本课会暂停训练并走一步：每个权重按 w ← w − α·∂E/∂w 移动"
            "（面板里用数字算出了其中一个），训练损失随之下降。",
        },
        [Claim("single_step_loss_change", "<=", -1e-4), Claim("acc_test", ">=", 0.99)],
        # plain gradient descent, so the panel's "after" is exactly w − α·∂E/∂w
        optimizer="sgd",
        schedule="constant",
        lr=0.5,
        steps=300,
    ),
    _step(
        "mini-batch",
        "spiral2",
        "curves",
        None,
        {"en": "Mini-batches: noisy but cheap", "zh-CN": "小批量：有噪声但便宜"},
        {
            "en": "Full-batch descent uses every point for each step. Here each step sees only "
            "32 of the 300 training points, so the training loss (measured on all of them) "
            "jitters, rising between some snapshots, yet it still heads downhill: it ends "
            "below half of where it started.",
            "zh-CN": "全批量梯度下降每一步都用上全部的点。这里每一步只看 300 个训练点中的 32 个，"
            "所以训练损失（在全部训练点上计算）会抖动，有时在两次快照之间上升，"
            "但总体仍在下降：最后低于起点的一半。",
        },
        [Claim("loss_rises", ">=", 5), Claim("loss_fall", "<=", 0.5)],
        batch_size=32,
        lr=0.02,
        schedule="constant",
        steps=400,
    ),
    _step(
        "sigmoid-stalls",
        "spiral2",
        "inspector",
        None,
        {"en": "Sigmoid stalls deep, narrow nets", "zh-CN": "sigmoid 让又深又窄的网络停滞"},
        {
            "en": "Sigmoid's slope is at most 1/4, so the gradient shrinks at every layer on its "
            "way back. In the inspector's ‖∂E/∂W‖ column each layer's gradient is smaller than "
            "the next one's; layer 1's is over a thousand times smaller than layer 8's. With "
            "plain gradient descent a weight moves by α·∂E/∂w, so the first layers barely move, "
            "and after these 20 steps the accuracy is still at chance.",
            "zh-CN": "sigmoid 的斜率最多只有 1/4，梯度每往回传一层就缩小一次。"
            "在检查器的 ‖∂E/∂W‖ 一列里，每一层的梯度都比后一层小；"
            "第 1 层的梯度比第 8 层小一千多倍。用普通梯度下降时，权重按 α·∂E/∂w 移动，"
            "所以前面几层几乎不动；训练 20 步后，准确率仍停留在随机猜测的水平。",
        },
        [
            Claim("grad_ratio", "<=", 1e-3),
            Claim("grads_grow", "==", True),
            Claim("acc_test", "<=", 0.6),
        ],
        activation="sigmoid",
        optimizer="sgd",
        schedule="constant",
        lr=0.1,
        steps=20,
    ),
    _step(
        "relu-folds",
        None,
        "warp",
        "2.act",
        {"en": "ReLU folds, and units can die", "zh-CN": "ReLU 会折叠，单元也会死掉"},
        {
            "en": "ReLU turns every negative value into 0: where a unit's input is negative, the "
            "plane is folded flat onto an axis. Both units of layer 1 live: at 1.act only part "
            "of the plane is folded. The second unit of layer 2 died early in training: at "
            "2.act every point lies on the horizontal axis. Its input is negative for every "
            "point, so it gets no gradient and never learns again; the net still reaches about "
            "90% with the units it has left.",
            "zh-CN": "ReLU 把所有负值变成 0：某个单元的输入为负的地方，平面被折平到坐标轴上。"
            "第 1 层的两个单元都活着：在 1.act，只有一部分平面被折平。"
            "第 2 层的第二个单元在训练初期就死了：在 2.act，所有点都落在横轴上。"
            "它对每个点的输入都是负的，因此得不到梯度，再也学不动了；"
            "网络靠剩下的单元仍能达到约 90% 的准确率。",
        },
        [
            Claim("dead@1", "==", 0),
            Claim("dead@2", "==", 1),
            Claim("dead_at_start@2", "==", 0),
            Claim("acc_test", ">=", 0.85),
        ],
        activation="relu",
        layers=2,
        **_FOLDS,
    ),
    _step(
        "tanh-beside-relu",
        None,
        "compare",
        "1.act",
        {"en": "tanh bends, ReLU folds", "zh-CN": "tanh 弯曲，ReLU 折叠"},
        {
            "en": "The same net twice, side by side, with one difference: tanh on the left, "
            "ReLU on the right. At 1.act tanh squeezes the plane into a square but keeps every "
            "cell of the grid whole: it bends, and nothing lands on top of anything else. ReLU "
            "folds the part of the plane where a unit's input is negative flat onto an axis, "
            "with a sharp crease: different points land on the same spot. Step on to 2.act: "
            "on the right one unit of layer 2 has died, and every point lies on one axis.",
            "zh-CN": "同一个网络并排训练两次，只有一处不同：左边用 tanh，右边用 ReLU。"
            "在 1.act，tanh 把平面压进一个正方形，但网格的每个格子都保持完整："
            "它只是弯曲，没有哪两处叠在一起。ReLU 把单元输入为负的那部分平面折平到坐标轴上，"
            "留下一道尖锐的折痕：不同的点落到了同一处。再走到 2.act："
            "右边第 2 层有一个单元死了，所有点都落在一条轴上。",
        },
        [
            Claim("one_to_one@1.act", "==", True),
            Claim("creased@1.act", "==", False),
            Claim("dead@2", "==", 0),
        ],
        compare={"activation": "relu"},
        compare_claims=[
            Claim("one_to_one@1.act", "==", False),
            Claim("creased@1.act", "==", True),
            Claim("dead@2", "==", 1),
        ],
        activation="tanh",
        layers=2,
        **_FOLDS,
    ),
    _step(
        "leaky-relu",
        None,
        "warp",
        "1.act",
        {"en": "Leaky ReLU keeps a little slope", "zh-CN": "Leaky ReLU 保留一点斜率"},
        {
            "en": "Leaky ReLU keeps a tenth of every negative value instead of zeroing it. At "
            "1.act both units' creases cross the data: grid lines bend where they cross an "
            "axis, and the plane beyond is pressed ten times thinner, creased but never "
            "flattened onto the axis. No grid cells overlap, so the map stays one-to-one, and "
            "a tenth of the gradient always gets through: no unit can die.",
            "zh-CN": "Leaky ReLU 不把负值变成 0，而是保留它的十分之一。在 1.act，"
            "两个单元的折痕都穿过数据：网格线在穿过坐标轴的地方弯折，折痕另一侧的平面被压薄十倍，"
            "只是折出折痕，从不被压平到坐标轴上。网格没有哪两格互相重叠，所以映射保持一一对应；"
            "梯度也总有十分之一能传回去：没有单元会死。",
        },
        [
            Claim("one_to_one@1.act", "==", True),
            Claim("creased@1.act", "==", True),
            Claim("dead@1", "==", 0),
            Claim("acc_test", ">=", 0.85),
        ],
        activation="leaky_relu",
        layers=1,
        **_FOLDS,
    ),
    _step(
        "relu-pieces",
        None,
        "input",
        "last",
        {"en": "A ReLU net is a patchwork of flat maps", "zh-CN": "ReLU 网络是由平直映射拼成的"},
        {
            "en": "Each unit is either on or off, and wherever the whole on/off pattern stays the "
            "same the network is one affine map. The input space is coloured by these "
            "patterns: its linear regions, counted under the plot. Four layers of two leaky "
            "ReLU units cut the window into a couple of dozen pieces, and the boundary "
            "between the moons is stitched from straight segments, one per piece.",
            "zh-CN": "每个单元要么开、要么关；只要全部单元的开关模式不变，"
            "整个网络就是同一个仿射映射。输入空间按这些模式着色，"
            "就是它的线性区域，数目写在图下方。四层、每层两个 Leaky ReLU "
            "单元把窗口切成二十来块，两个月牙之间的边界由一段段直线拼成，每块一段。",
        },
        [Claim("regions", ">=", 15), Claim("acc_test", ">=", 0.95)],
        dataset="moons",
        activation="leaky_relu",
        layers=4,
        width=2,
        init="he",
        seed=0,
        lr=0.02,
        steps=400,
    ),
    _step(
        "overfit",
        "overfit",
        "curves",
        None,
        {"en": "Train vs test: over-fitting", "zh-CN": "训练与测试：过拟合"},
        {
            "en": "Few noisy points and a deep net: the training accuracy climbs to 1 while the "
            "test accuracy stalls more than 0.15 below it. The net is learning the noise, not "
            "the pattern.",
            "zh-CN": "点少、噪声大、网络又深：训练准确率一直升到 1，"
            "测试准确率却停在比它低 0.15 以上的地方。网络学到的是噪声，而不是规律。",
        },
        [Claim("acc_train", ">=", 0.99), Claim("gap", ">=", 0.15)],
        steps=400,
    ),
    _step(
        "regularise",
        "overfit-l2",
        "curves",
        None,
        {"en": "L2 narrows the gap", "zh-CN": "L2 正则缩小差距"},
        {
            "en": "Same data and net, now with an L2 penalty l2·Σ‖W‖²/2 that pulls weights towards "
            "zero. Smaller weights bend the plane less: training accuracy no longer reaches 1, "
            "and train and test accuracy end less than 0.1 apart.",
            "zh-CN": "同样的数据和网络，加上把权重拉向零的 L2 惩罚 l2·Σ‖W‖²/2。"
            "权重越小，平面被弯得越少：训练准确率不再达到 1，训练和测试准确率最后相差不到 0.1。",
        },
        [Claim("acc_train", "<=", 0.98), Claim("gap", "<=", 0.1)],
        steps=400,
    ),
    _step(
        "probability",
        "soft",
        "input",
        None,
        {"en": "A network approximates a probability", "zh-CN": "网络逼近的是一个概率"},
        {
            "en": "Each label here was a coin flip with a smoothly varying bias. The net cannot "
            "predict the flips; the shading it learns is the bias itself, p(class | x): pale "
            "where the coin was fair, deeper where it was not.",
            "zh-CN": "这里的每个标签都是一次抛硬币，硬币的偏向随位置平滑变化。"
            "网络无法预测每次抛的结果；它学到的颜色深浅正是那个偏向 p(类别 | x)："
            "硬币公平的地方颜色浅，偏得越多颜色越深。",
        },
        [Claim("field_error", "<=", 0.1), Claim("acc_test", ">=", 0.7)],
        steps=300,
    ),
    _step(
        "extrapolation",
        "spiral2",
        "wide",
        None,
        {"en": "Far from the data, confident nonsense", "zh-CN": "远离数据：自信的胡话"},
        {
            "en": "The input space is zoomed out to a window three times wider. Where there was "
            "never any data the network still answers, and over most of it with near-certainty "
            "(the deepest colours). Nothing there was learned.",
            "zh-CN": "输入空间缩小成三倍宽的窗口。在从未有过数据的地方，网络照样给出答案，"
            "而且大部分地方几乎十分肯定（颜色最深）。那里的一切都不是学来的。",
        },
        [Claim("wide_confident", ">=", 0.5), Claim("acc_test", ">=", 0.98)],
        steps=300,
    ),
    _step(
        "topology-leak",
        "circles-2d",
        "wide",
        None,
        {
            "en": "Two units cannot free a disk from a ring",
            "zh-CN": "两个单元无法把圆盘从圆环中取出",
        },
        {
            "en": "Each width-2 layer is a continuous, one-to-one map of the plane, so the disk "
            "can never be lifted out of the ring. The net does well on the data, but in the "
            "zoomed-out window the inner class's region leaks out to the edge, as the note "
            "under the plot says.",
            "zh-CN": "每个两单元层都是平面到平面的连续一一映射，所以圆盘永远无法从圆环中被取出。"
            "网络在数据上表现不错，但在缩小后的窗口里，内圈类别的区域一直漏到了边缘，"
            "图下方的提示也这样写着。",
        },
        [Claim("inner_reaches_edge", "==", True), Claim("acc_test", ">=", 0.9)],
        schedule="constant",
        steps=400,
    ),
    _step(
        "topology-lift",
        "circles-3d",
        "warp",
        "last",
        {"en": "A third dimension lifts it out", "zh-CN": "第三个维度把它抬出来"},
        {
            "en": "Give each layer three units and the disk can rise out of the ring: in the "
            "last space of the 3D view one flat plane separates them. Drag to turn the view.",
            "zh-CN": "让每层有三个单元，圆盘就能从圆环中升起：在三维视图的最后空间里，"
            "一个平面即可把它们分开。拖动鼠标转动视图。",
        },
        [Claim("acc_test", ">=", 0.99), Claim("inner_reaches_edge", "==", False)],
        steps=300,
    ),
    _step(
        "width-side-by-side",
        "circles-2d",
        "compare",
        "last",
        {"en": "Two units beside three", "zh-CN": "两个单元与三个单元并排"},
        {
            "en": "The same net twice, trained side by side: on the left each layer has two "
            "units, on the right three, and nothing else differs. Play the layers and watch "
            "both at once. On the left the plane can only be bent and folded, never torn, so "
            "the ring stays around the disk; on the right the third unit lifts the disk out "
            "and one flat plane cuts between them.",
            "zh-CN": "同一个网络训练两次，并排显示：左边每层两个单元，右边三个单元，"
            "除此之外完全相同。"
            "逐层播放，同时看两边。左边的平面只能被弯曲、折叠，不能被撕开，所以圆环始终围着圆盘；"
            "右边第三个单元把圆盘抬了出来，一个平面就能把它们分开。",
        },
        [Claim("inner_reaches_edge", "==", True)],
        compare={"width": 3},
        compare_claims=[Claim("inner_reaches_edge", "==", False), Claim("acc_test", ">=", 0.97)],
        schedule="constant",
        steps=400,
    ),
]


# Steps that also open one layer in the layer playground (/playground; app/web/playground.py).
PLAYGROUND_LINKS = {"three-moves": "W=1.2,0.4,-0.5,0.9&b=0.3,-0.2&activation=tanh&stage=input"}
# Steps that colour the input space by linear region (app/engine/regions.py).
REGIONS_STEPS = {"relu-pieces"}
# Steps whose text is about the input map's shading: its points are drawn small and faint, so
# 300 noisy labels do not cover what the class is asked to look at.
FAINT_POINTS_STEPS = {"probability"}


def lesson_index() -> list[dict[str, Any]]:
    """The lessons as JSON-ready dicts (config included), for the API and the page."""
    return [
        {
            "id": step.id,
            "preset": step.preset,
            "config": step.train_config().model_dump(),
            "view": step.view,
            "stage": step.shown_stage(),
            "title": step.title,
            "text": step.text,
            "playground": PLAYGROUND_LINKS.get(step.id),
            "regions": step.id in REGIONS_STEPS,
            "faint_points": step.id in FAINT_POINTS_STEPS,
            "compare": step.compare,
            "compare_url": step.compare_url(),
        }
        for step in LESSONS
    ]
