# 部门整体支出绩效自评报告生成器 —— 常用命令（make help 查看）
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
RG     := $(BIN)/reportgen

.DEFAULT_GOAL := help

$(STAMP): pyproject.toml requirements.lock
	@sh tools/bootstrap.sh "$(PYTHON)" "$(VENV)" requirements.lock
	@# byte-compile the project (an editable install leaves it uncompiled; where PYTHONDONTWRITEBYTECODE
	@# is set, every run would compile ~45 modules again: about 0.08 s of each build)
	@$(BIN)/python -m compileall -q generator >/dev/null
	@touch $(STAMP)

.PHONY: help venv lock schemas readme report reports check list test lint fuzz pdf golden bench clean diff redline new text

help: ## 列出所有命令
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

venv: $(STAMP) ## 建立 .venv 并安装依赖（其他命令会自动执行）

report: $(STAMP) ## 生成一份报告：make report DEPT=guangzhou YEAR=2023
	@test -n "$(DEPT)" -a -n "$(YEAR)" || { echo "用法：make report DEPT=部门 YEAR=年度"; exit 2; }
	$(RG) build $(DEPT) $(YEAR)

reports: $(STAMP) ## 生成 data/ 下所有报告（只重新生成有改动的；FORCE=1 全部重新生成，PDF=1 同时转 PDF，JOBS=N 进程数）
	$(RG) build --all $(if $(FORCE),--force) $(if $(PDF),--pdf) $(if $(JOBS),-j $(JOBS))

check: $(STAMP) ## 检查数据文件（可加 DEPT= YEAR=）
	$(RG) check $(DEPT) $(YEAR)

list: $(STAMP) ## 列出所有部门和年度
	$(RG) list

pdf: $(STAMP) ## 生成报告并用 LibreOffice 转成 PDF：make pdf DEPT=… YEAR=…（不写 DEPT 则全部）
	$(RG) build $(if $(DEPT),$(DEPT) $(YEAR),--all) --pdf

lock: ## 更新依赖锁文件 requirements.lock（有意升级依赖时才运行，并在提交说明里写明原因）
	@rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	@.venv-lock/bin/python -m pip install -q --disable-pip-version-check pip-tools==7.6.2 >/dev/null
	.venv-lock/bin/pip-compile -q --upgrade --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --extra test --extra lint \
	  -o requirements.lock pyproject.toml tools/lock-build.in
	@rm -rf .venv-lock
	@echo "requirements.lock 已更新：用 git diff requirements.lock 检查变化，make test 通过后再提交。"

schemas: $(STAMP) ## 重新生成各格式的 templates/<格式>/schema.json（改了 format.yaml 的 inputs: 之后运行）
	@for f in templates/*/format.yaml; do d=$$(basename $$(dirname $$f)); \
	  $(RG) schema $$d -o templates/$$d/schema.json; done

readme: $(STAMP) ## 重新生成 README 中的名称列表（reportgen names guangzhou 2023 的输出）
	@$(VENV)/bin/python tools/readme_names.py

test: $(STAMP) ## 运行测试
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## 代码检查：ruff（规范与格式）和 mypy（类型）
	@test -x $(BIN)/ruff -a -x $(BIN)/mypy || { echo "没有安装 ruff 或 mypy：请删除 $(STAMP) 后重新运行 make venv（按 requirements.lock 安装）"; exit 2; }
	$(BIN)/ruff check generator tests tools bench
	$(BIN)/mypy generator
	$(BIN)/ruff format --check generator tests tools bench

FUZZ_EXAMPLES ?= 10000
fuzz: $(STAMP) ## 长时间模糊测试（默认 10,000 个样例；make fuzz FUZZ_EXAMPLES=300 试跑）
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -m fuzz tests

golden: $(STAMP) ## 重新生成测试用的标准文本（核对差异后再提交）
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

bench: $(STAMP) ## 性能基准（与 docxtpl、PyYAML 本身相比；只测一部分：.venv/bin/python bench/run.py --only batch,single,check）
	$(BIN)/python bench/run.py

clean: ## 删除生成的文件
	rm -rf build

.PHONY: audit
audit: $(STAMP) ## 核对数据文件 reported: 中记录的报告数字与计算结果（可加 DEPT= YEAR=）
	$(RG) audit $(DEPT) $(YEAR)

diff: $(STAMP) ## 比较两个年度：make diff DEPT=guangzhou FROM=2022 TO=2023 [FORMAT=md|json]
	@test -n "$(DEPT)" -a -n "$(FROM)" -a -n "$(TO)" || { echo "用法：make diff DEPT=部门 FROM=上一年度 TO=本年度 [FORMAT=md|json]"; exit 2; }
	$(RG) diff $(DEPT) $(FROM) $(TO) --format $(or $(FORMAT),text)

text: $(STAMP) ## 把 .docx 输出为纯文本：make text FILE=build/guangzhou-2023.docx
	@test -n "$(FILE)" || { echo "用法：make text FILE=文件.docx"; exit 2; }
	$(RG) text $(FILE)

new: $(STAMP) ## 根据上一年生成本年度数据草稿：make new DEPT=guangzhou YEAR=2024 [FROM=2023]
	@test -n "$(DEPT)" -a -n "$(YEAR)" || { echo "用法：make new DEPT=部门 YEAR=年度 [FROM=底本年度]"; exit 2; }
	$(RG) new $(DEPT) $(YEAR) $(if $(FROM),--from $(FROM))

redline: $(STAMP) ## 带修订标记的 Word 文档：make redline DEPT=guangzhou FROM=2022 TO=2023
	@test -n "$(DEPT)" -a -n "$(FROM)" -a -n "$(TO)" || { echo "用法：make redline DEPT=部门 FROM=上一年度 TO=本年度"; exit 2; }
	$(RG) redline $(DEPT) $(FROM) $(TO)
