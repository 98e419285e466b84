# 部门整体支出绩效自评报告生成器 —— 常用命令（make help 查看）
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
RG     := $(BIN)/reportgen

.DEFAULT_GOAL := help

$(STAMP): pyproject.toml
	@sh tools/bootstrap.sh "$(PYTHON)" "$(VENV)"
	@touch $(STAMP)

.PHONY: help venv report reports check list test fuzz pdf golden bench clean diff redline new text

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

test: $(STAMP) ## 运行测试
	$(BIN)/python -m pytest -q

fuzz: $(STAMP) ## 长时间模糊测试（10,000 个样例）
	FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q -m fuzz tests

golden: $(STAMP) ## 重新生成测试用的标准文本（核对差异后再提交）
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

bench: $(STAMP) ## 性能基准
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
